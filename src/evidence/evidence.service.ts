import { archivedClaim, conflict, unprocessable } from '../common/problem.js';
import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { ClaimViews } from '../claims/claim-views.service.js';
import { ClaimsService } from '../claims/claims.service.js';
import { cursorAfter, sortOrder, toPage, type KeysetOrder, type Page } from '../common/pagination.js';
import { toDate } from '../common/query.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { SourcesService } from '../sources/sources.service.js';
import { EvidenceRepository } from './evidence.repository.js';
import { CorroborationService } from '../provenance/corroboration.service.js';
import { OriginatorsService } from '../provenance/originators.service.js';
import { AttributionSuggestionsService } from './attribution-suggestions.service.js';
import type { WriteOptions } from '../common/write-options.js';
import type { CreateEvidenceDto } from './dto/create-evidence.dto.js';
import type { EvidenceQueryDto } from './dto/evidence-query.dto.js';
import { EVIDENCE_INCLUDE, toEvidenceResponse, type EvidenceResponse, type EvidenceRow } from './dto/evidence.response.js';
import type { UpdateEvidenceDto } from './dto/update-evidence.dto.js';
import type { AttributionDto, AttributionsDto, AttributionSuggestionQueryDto, AttributionSuggestionResponse, ConfirmAttributionDto } from './dto/attribution.dto.js';

type Db = Prisma.TransactionClient;

/** An item as the audit trail keeps it: its origin and whether it counts are derived, and recomputed, so not audited. */
function audited(row: EvidenceRow): Omit<EvidenceResponse, 'originId' | 'counted'> {
  const { originId: _origin, counted: _counted, ...item } = toEvidenceResponse(row);
  return item;
}

@Injectable()
export class EvidenceService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: EvidenceRepository,
    private readonly audit: AuditService,
    private readonly claims: ClaimsService,
    private readonly claimViews: ClaimViews,
    private readonly sources: SourcesService,
    private readonly originators: OriginatorsService,
    private readonly corroboration: CorroborationService,
    private readonly attributions: AttributionSuggestionsService,
  ) {}

  async create(actor: Principal, claimId: string, input: CreateEvidenceDto, { at }: WriteOptions = {}): Promise<EvidenceResponse> {
    return this.claims.write(claimId, async (tx) => {
      await this.requireOpenClaim(tx, claimId);
      const { selector, ...fields } = input;
      const anchor = await this.sources.anchorQuote(tx, input.sourceId, input.quote, selector);
      const originatorId = input.originatorId ? await this.originators.requireAttributable(tx, input.originatorId) : null;
      const row = await tx.evidence.create({
        data: { ...fields, ...anchor, originatorId, observedAt: toDate(input.observedAt), claimId, createdById: actorId(actor), createdAt: at, updatedAt: at },
        include: EVIDENCE_INCLUDE,
      });
      await this.attributions.propose(tx, row);
      await this.audit.record(tx, actor, { at, action: 'evidence.create', entityType: 'evidence', entityId: row.id, after: audited(row) });
      // Last, so the claim row stays locked (reweighing locks it) for two statements and the commit: many analysts may add evidence at once.
      const { origins } = await this.corroboration.reweigh(tx, [claimId], { cause: 'evidence', actor, at, touch: true });
      return toEvidenceResponse({ ...row, ...origins.get(row.id) });
    });
  }

  async list(claimId: string, query: EvidenceQueryDto): Promise<Page<EvidenceResponse>> {
    const asOf = toDate(query.asOf);
    const order = sortOrder(query.sort) as KeysetOrder & { field: 'createdAt' | 'diagnosticity' | 'credibility' };
    const filter = { asOf, includeArchived: query.includeArchived, stance: query.stance, sourceId: query.source, updatedSince: toDate(query.updatedSince), q: query.q };
    // The claim must exist (404 otherwise). Today an item found shows it does (items belong to an existing claim), so
    // only an empty list asks; at `asOf` the claim's audit trail says, asked beside the page.
    const [{ rows, total }] = await Promise.all([this.repository.page(claimId, filter, query.sort, query.cursor, query.limit + 1), asOf && this.claimViews.mustExist(claimId, asOf)]);
    if (!asOf && total === 0) await this.claimViews.mustExist(claimId);
    return toPage(rows, total, query.limit, (row) => cursorAfter(order, row.id, row[order.field]), toEvidenceResponse);
  }

  async get(claimId: string, id: string): Promise<EvidenceResponse> {
    return toEvidenceResponse(await this.find(this.prisma, claimId, id));
  }

  async update(actor: Principal, claimId: string, id: string, input: UpdateEvidenceDto): Promise<EvidenceResponse> {
    return this.claims.write(claimId, async (tx) => {
      await this.claims.lock(tx, claimId);
      const before = await this.find(tx, claimId, id);
      // A new quote, source or selector places the quote again (and settles a drifted one).
      const { selector, ...fields } = input;
      const anchor =
        input.sourceId !== undefined || input.quote !== undefined || selector !== undefined
          ? await this.sources.anchorQuote(tx, input.sourceId ?? before.sourceId, input.quote ?? before.quote, selector)
          : {};
      const originatorId = input.originatorId && (await this.originators.requireAttributable(tx, input.originatorId));
      const updated = await tx.evidence.update({
        where: { id },
        data: { ...fields, ...anchor, originatorId, observedAt: toDate(input.observedAt) },
        include: EVIDENCE_INCLUDE,
      });
      if (input.quote !== undefined || input.sourceId !== undefined) await this.attributions.propose(tx, updated);
      await this.audit.record(tx, actor, { action: 'evidence.update', entityType: 'evidence', entityId: id, before: audited(before), after: audited(updated) });
      const attributionOnly = Object.keys(input).every((key) => key === 'originatorId');
      const { origins } = await this.corroboration.reweigh(tx, [claimId], { cause: attributionOnly ? 'attribution' : 'evidence', actor, touch: true });
      return toEvidenceResponse({ ...updated, ...origins.get(id) });
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
        await this.audit.record(tx, actor, { action: 'evidence.delete', entityType: 'evidence', entityId: id, before: audited(before) });
        await this.corroboration.reweigh(tx, [claimId], { cause: 'evidence', actor, touch: true });
        return;
      }
      if (before.archivedAt) return;
      const after = await tx.evidence.update({ where: { id }, data: { archivedAt: new Date() }, include: EVIDENCE_INCLUDE });
      await this.audit.record(tx, actor, { action: 'evidence.archive', entityType: 'evidence', entityId: id, before: audited(before), after: audited(after) });
      await this.corroboration.reweigh(tx, [claimId], { cause: 'evidence', actor, touch: true });
    });
  }

  /** Attributes several of a claim's items at once (an item without an originator loses its attribution); the claim is reweighed once. */
  async attribute(actor: Principal, claimId: string, input: AttributionsDto): Promise<EvidenceResponse[]> {
    return this.claims.write(claimId, (tx) => this.attributeIn(tx, actor, claimId, input.attributions, 'attributions'));
  }

  listSuggestions(claimId: string, query: AttributionSuggestionQueryDto): Promise<AttributionSuggestionResponse[]> {
    return this.attributions.list(claimId, query.status);
  }

  /** Confirms a suggested attribution: to the suggested (or given) originator, recording a new one when the name is not yet known. */
  async confirmSuggestion(actor: Principal, claimId: string, id: string, input: ConfirmAttributionDto): Promise<AttributionSuggestionResponse> {
    return this.claims.write(claimId, async (tx) => {
      const suggestion = await this.attributions.decide(tx, actor, claimId, id, 'confirmed');
      let originatorId = input.originatorId ?? suggestion.originatorId;
      if (!originatorId) {
        if (!input.kind) throw unprocessable('kind', `"${suggestion.name}" is not yet an originator: give its kind to record it, or an originatorId`);
        originatorId = (await this.originators.insert(tx, actor, { name: suggestion.name, kind: input.kind })).id;
      }
      await this.attributeIn(tx, actor, claimId, [{ evidenceId: suggestion.evidenceId, originatorId }], '');
      return suggestion;
    });
  }

  async dismissSuggestion(actor: Principal, claimId: string, id: string): Promise<AttributionSuggestionResponse> {
    return this.prisma.$transaction((tx) => this.attributions.decide(tx, actor, claimId, id, 'dismissed'));
  }

  private async attributeIn(tx: Db, actor: Principal, claimId: string, attributions: AttributionDto[], path: string): Promise<EvidenceResponse[]> {
    await this.claims.lock(tx, claimId);
    const field = (i: number, name: string) => (path ? `${path}[${i}].${name}` : name);
    const updated: EvidenceRow[] = [];
    for (const [i, { evidenceId, originatorId }] of attributions.entries()) {
      const before = await tx.evidence.findUnique({ where: { id: evidenceId }, include: EVIDENCE_INCLUDE });
      if (!before || before.claimId !== claimId) throw unprocessable(field(i, 'evidenceId'), `evidence ${evidenceId} is not evidence of claim ${claimId}`);
      const resolved = originatorId ? await this.originators.requireAttributable(tx, originatorId, field(i, 'originatorId')) : null;
      const after = await tx.evidence.update({ where: { id: evidenceId }, data: { originatorId: resolved }, include: EVIDENCE_INCLUDE });
      await this.audit.record(tx, actor, { action: 'evidence.update', entityType: 'evidence', entityId: evidenceId, before: audited(before), after: audited(after) });
      updated.push(after);
    }
    const { origins } = await this.corroboration.reweigh(tx, [claimId], { cause: 'attribution', actor, touch: true });
    return updated.map((row) => toEvidenceResponse({ ...row, ...origins.get(row.id) }));
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
