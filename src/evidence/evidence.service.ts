import { archivedClaim, conflict } from '../common/problem.js';
import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { ClaimViews } from '../claims/claim-views.service.js';
import { ClaimsService } from '../claims/claims.service.js';
import { cursorAfter, orderByKeyset, rowsAfter, sortOrder, toPage, type Page } from '../common/pagination.js';
import { toDate } from '../common/query.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { SourcesService } from '../sources/sources.service.js';
import { evidenceInForce } from '../claims/claims.repository.js';
import { EvidenceRepository } from './evidence.repository.js';
import type { WriteOptions } from '../common/write-options.js';
import type { CreateEvidenceDto } from './dto/create-evidence.dto.js';
import type { EvidenceQueryDto } from './dto/evidence-query.dto.js';
import { EVIDENCE_INCLUDE, toEvidenceResponse, type EvidenceResponse, type EvidenceRow } from './dto/evidence.response.js';
import type { UpdateEvidenceDto } from './dto/update-evidence.dto.js';

type Db = Prisma.TransactionClient;

@Injectable()
export class EvidenceService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: EvidenceRepository,
    private readonly audit: AuditService,
    private readonly claims: ClaimsService,
    private readonly claimViews: ClaimViews,
    private readonly sources: SourcesService,
  ) {}

  async create(actor: Principal, claimId: string, input: CreateEvidenceDto, { at }: WriteOptions = {}): Promise<EvidenceResponse> {
    return this.claims.write(claimId, async (tx) => {
      await this.requireOpenClaim(tx, claimId);
      await this.sources.requireQuotable(tx, input.sourceId, input.quote);
      const row = await tx.evidence.create({
        data: { ...input, observedAt: toDate(input.observedAt), claimId, createdById: actorId(actor), createdAt: at, updatedAt: at },
        include: EVIDENCE_INCLUDE,
      });
      const response = toEvidenceResponse(row);
      await this.audit.record(tx, actor, { at, action: 'evidence.create', entityType: 'evidence', entityId: row.id, after: response });
      // Last, so the claim row stays locked only for the commit: many analysts may add evidence at once.
      await this.claims.touch(tx, claimId, at);
      return response;
    });
  }

  async list(claimId: string, query: EvidenceQueryDto): Promise<Page<EvidenceResponse>> {
    const asOf = toDate(query.asOf);
    await this.claimViews.get(claimId, asOf);
    const where: Prisma.EvidenceWhereInput = {
      claimId,
      stance: query.stance,
      sourceId: query.source,
      ...(query.includeArchived ? (asOf ? { createdAt: { lte: asOf } } : {}) : evidenceInForce(asOf)),
      updatedAt: query.updatedSince ? { gte: toDate(query.updatedSince) } : undefined,
      id: query.q ? { in: await this.repository.search(claimId, query.q) } : undefined,
    };
    const order = sortOrder(query.sort);
    const field = order.field as 'createdAt' | 'diagnosticity' | 'credibility';
    const [rows, total] = await Promise.all([
      this.prisma.evidence.findMany({
        where: { AND: [where, rowsAfter(query.cursor, order)] },
        include: EVIDENCE_INCLUDE,
        orderBy: orderByKeyset(order),
        take: query.limit + 1,
      }),
      this.prisma.evidence.count({ where }),
    ]);
    return toPage(rows, total, query.limit, (row) => cursorAfter(order, row.id, row[field]), toEvidenceResponse);
  }

  async get(claimId: string, id: string): Promise<EvidenceResponse> {
    return toEvidenceResponse(await this.find(this.prisma, claimId, id));
  }

  async update(actor: Principal, claimId: string, id: string, input: UpdateEvidenceDto): Promise<EvidenceResponse> {
    return this.claims.write(claimId, async (tx) => {
      await this.claims.lock(tx, claimId);
      const before = await this.find(tx, claimId, id);
      if (input.sourceId !== undefined || input.quote !== undefined) {
        await this.sources.requireQuotable(tx, input.sourceId ?? before.sourceId, input.quote ?? before.quote);
      }
      const after = await tx.evidence.update({
        where: { id },
        data: { ...input, observedAt: toDate(input.observedAt) },
        include: EVIDENCE_INCLUDE,
      });
      await this.claims.touch(tx, claimId);
      const response = toEvidenceResponse(after);
      await this.audit.record(tx, actor, {
        action: 'evidence.update',
        entityType: 'evidence',
        entityId: id,
        before: toEvidenceResponse(before),
        after: response,
      });
      return response;
    });
  }

  /** Archives by default; `hard` erases evidence no assessment rests on. */
  async remove(actor: Principal, claimId: string, id: string, hard: boolean): Promise<void> {
    await this.claims.write(claimId, async (tx) => {
      await this.claims.lock(tx, claimId);
      const before = await this.find(tx, claimId, id);
      if (hard) {
        const citations = await tx.assessmentEvidence.count({ where: { evidenceId: id } });
        if (citations > 0) throw conflict(`Evidence ${id} is cited by ${citations} assessment version(s); archive it instead.`);
        await tx.evidence.delete({ where: { id } });
        await this.claims.touch(tx, claimId);
        await this.audit.record(tx, actor, { action: 'evidence.delete', entityType: 'evidence', entityId: id, before: toEvidenceResponse(before) });
        return;
      }
      if (before.archivedAt) return;
      const after = await tx.evidence.update({ where: { id }, data: { archivedAt: new Date() }, include: EVIDENCE_INCLUDE });
      await this.claims.touch(tx, claimId);
      await this.audit.record(tx, actor, {
        action: 'evidence.archive',
        entityType: 'evidence',
        entityId: id,
        before: toEvidenceResponse(before),
        after: toEvidenceResponse(after),
      });
    });
  }

  private async requireOpenClaim(tx: Db, claimId: string): Promise<void> {
    const claim = await tx.claim.findUnique({ where: { id: claimId }, select: { archivedAt: true } });
    if (!claim) throw new NotFoundException(`Claim ${claimId} not found.`);
    if (claim.archivedAt) throw archivedClaim(claimId);
  }

  private async find(db: Db, claimId: string, id: string): Promise<EvidenceRow> {
    const row = await db.evidence.findFirst({ where: { id, claimId }, include: EVIDENCE_INCLUDE });
    if (!row) throw new NotFoundException(`Evidence ${id} of claim ${claimId} not found.`);
    return row;
  }
}
