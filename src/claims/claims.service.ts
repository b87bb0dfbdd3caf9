import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import type { AssessmentResponse } from '../assessments/dto/assessment.response.js';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { cursorAfter, orderByKeyset, rowsAfter, sortOrder, toPage, type KeysetOrder, type Page } from '../common/pagination.js';
import { conflict, Problem, unprocessable, ValidationProblem } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { groupBy } from '../common/group-by.js';
import { foldStatement } from '../common/text.js';
import { Transactions, type Tx } from '../database/transactions.js';
import { PrismaService } from '../database/prisma.service.js';
import { Prisma, type Claim } from '../generated/prisma/client.js';
import { SourcesService } from '../sources/sources.service.js';
import { ClaimsRepository, type AppearanceRow } from './claims.repository.js';
import type { ClaimFilterDto, ClaimQueryDto } from './dto/claim-query.dto.js';
import { claimEtag } from './claim-etag.js';
import {
  toClaimResponse,
  toClaimSnapshot,
  type AppearanceResponse,
  type ClaimResponse,
  type ClaimSnapshot,
  type EvidenceCounts,
} from './dto/claim.response.js';
import type { AppearanceInputDto, CreateClaimDto } from './dto/create-claim.dto.js';
import type { WriteOptions } from '../common/write-options.js';
import type { ResolveClaimDto } from './dto/resolve-claim.dto.js';
import type { UpdateClaimDto } from './dto/update-claim.dto.js';

type Db = Prisma.TransactionClient;

const toAppearanceResponse = (row: { id: string; sourceId: string; source: { title: string }; quote: string; createdAt: Date }): AppearanceResponse => ({
  id: row.id,
  sourceId: row.sourceId,
  sourceTitle: row.source.title,
  quote: row.quote,
  createdAt: row.createdAt,
});

function statementKey(statement: string): string {
  const key = foldStatement(statement);
  if (!key) throw new ValidationProblem([{ field: 'statement', messages: ['statement must contain letters or digits'] }]);
  return key;
}

@Injectable()
export class ClaimsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ClaimsRepository,
    private readonly audit: AuditService,
    private readonly sources: SourcesService,
    private readonly transactions: Transactions,
  ) {}

  async create(actor: Principal, input: CreateClaimDto, { at }: WriteOptions = {}): Promise<ClaimResponse> {
    const key = statementKey(input.statement);
    const id = await this.uniqueStatement(key, () =>
      this.transactions.write(async (tx, changed) => {
        await this.assertStatementFree(tx, key);
        const { appearances = [], ...fields } = input;
        const claim = await tx.claim.create({
          data: { ...fields, statementKey: key, createdById: actorId(actor), createdAt: at, updatedAt: at },
        });
        await this.audit.record(tx, actor, { at, action: 'claim.create', entityType: 'claim', entityId: claim.id, after: toClaimSnapshot(claim) });
        for (const [index, appearance] of appearances.entries()) {
          await this.insertAppearance(tx, actor, claim.id, appearance, `appearances[${index}]`, at);
        }
        changed('claims', claim.id);
        return claim.id;
      }),
    );
    return this.get(id);
  }

  async get(id: string, asOf?: Date): Promise<ClaimResponse> {
    const [view] = await this.views([id], asOf);
    if (!view) throw new NotFoundException(asOf ? `Claim ${id} did not exist at ${asOf.toISOString()}.` : `Claim ${id} not found.`);
    return view;
  }

  async list(query: ClaimQueryDto): Promise<Page<ClaimResponse>> {
    const asOf = toDate(query.asOf);
    if (asOf && query.sort.endsWith('probability')) {
      throw new ValidationProblem([{ field: 'sort', messages: ['probability sorts use current assessments and cannot be combined with asOf'] }]);
    }
    const where = await this.listFilter(query, asOf);
    // The probability shown is the current assessment's, kept on the claim for sorting.
    const byProbability = query.sort.endsWith('probability');
    const order = sortOrder(query.sort, byProbability ? { field: 'currentProbability', nullable: true } : {}) as KeysetOrder & {
      field: 'currentProbability' | 'updatedAt' | 'createdAt';
    };
    const [rows, total] = await Promise.all([
      this.prisma.claim.findMany({
        where: { AND: [where, rowsAfter(query.cursor, order)] },
        orderBy: orderByKeyset(order),
        take: query.limit + 1,
        select: { id: true, currentProbability: true, updatedAt: true, createdAt: true },
      }),
      this.prisma.claim.count({ where }),
    ]);
    const page = toPage(rows, total, query.limit, (row) => cursorAfter(order, row.id, row[order.field]), (row) => row.id);
    return { ...page, items: await this.views(page.items, asOf) };
  }

  async update(actor: Principal, id: string, input: UpdateClaimDto, ifMatch?: string): Promise<ClaimResponse> {
    const key = input.statement === undefined ? undefined : statementKey(input.statement);
    const seen = ifMatch === undefined || ifMatch === '*' ? undefined : await this.get(id);
    const stale = () =>
      new Problem(HttpStatus.PRECONDITION_FAILED, 'The claim changed since you read it; reload and retry.', { currentEtag: claimEtag(seen!) });
    if (seen && claimEtag(seen) !== ifMatch) throw stale();
    await this.uniqueStatement(key, () =>
      this.write(id, async (tx) => {
        const before = await this.lock(tx, id);
        // The row must still be the one whose view matched If-Match.
        if (seen && before.updatedAt.getTime() !== seen.updatedAt.getTime()) throw stale();
        if (key !== undefined && key !== before.statementKey) await this.assertStatementFree(tx, key);
        const after = await tx.claim.update({ where: { id }, data: { ...input, statementKey: key } });
        await this.audit.record(tx, actor, {
          action: 'claim.update',
          entityType: 'claim',
          entityId: id,
          before: toClaimSnapshot(before),
          after: toClaimSnapshot(after),
        });
      }),
    );
    return this.get(id);
  }

  /** Records the truth about a claim: its status becomes resolved true or false. */
  async resolve(actor: Principal, id: string, input: ResolveClaimDto): Promise<ClaimResponse> {
    await this.write(id, async (tx) => {
      const before = await this.lock(tx, id);
      if (input.sourceId && !(await tx.source.findUnique({ where: { id: input.sourceId }, select: { id: true } }))) {
        throw unprocessable('sourceId', `source ${input.sourceId} does not exist`);
      }
      const after = await tx.claim.update({
        where: { id },
        data: {
          status: input.outcome ? 'resolved_true' : 'resolved_false',
          resolvedAt: new Date(input.resolvedAt),
          resolutionSourceId: input.sourceId ?? null,
          resolutionNote: input.note ?? null,
        },
      });
      await this.audit.record(tx, actor, {
        action: 'claim.resolve',
        entityType: 'claim',
        entityId: id,
        before: toClaimSnapshot(before),
        after: toClaimSnapshot(after),
      });
    });
    return this.get(id);
  }

  /** Undoes a resolution: the claim is open again and takes new assessments; the audit trail keeps the resolution. */
  async reopen(actor: Principal, id: string): Promise<ClaimResponse> {
    await this.write(id, async (tx) => {
      const before = await this.lock(tx, id);
      if (!before.resolvedAt) throw conflict(`Claim ${id} is not resolved.`);
      const after = await tx.claim.update({
        where: { id },
        data: { status: 'open', resolvedAt: null, resolutionSourceId: null, resolutionNote: null },
      });
      await this.audit.record(tx, actor, {
        action: 'claim.reopen',
        entityType: 'claim',
        entityId: id,
        before: toClaimSnapshot(before),
        after: toClaimSnapshot(after),
      });
    });
    return this.get(id);
  }

  /** Archives by default; `hard` erases a claim nothing refers to (no evidence, no assessments). */
  async remove(actor: Principal, id: string, hard: boolean): Promise<void> {
    await this.write(id, async (tx) => {
      const before = await this.lock(tx, id);
      if (hard) {
        const evidence = await tx.evidence.count({ where: { claimId: id } });
        if (evidence > 0 || before.currentVersion > 0) {
          throw conflict(`Claim ${id} has ${evidence} evidence item(s) and ${before.currentVersion} assessment(s); archive it instead.`);
        }
        await tx.claim.delete({ where: { id } });
        await this.audit.record(tx, actor, { action: 'claim.delete', entityType: 'claim', entityId: id, before: toClaimSnapshot(before) });
        return;
      }
      if (before.archivedAt) return;
      const after = await tx.claim.update({ where: { id }, data: { archivedAt: new Date() } });
      await this.audit.record(tx, actor, {
        action: 'claim.archive',
        entityType: 'claim',
        entityId: id,
        before: toClaimSnapshot(before),
        after: toClaimSnapshot(after),
      });
    });
  }

  async listAppearances(claimId: string): Promise<AppearanceResponse[]> {
    await this.find(claimId);
    const rows = await this.prisma.claimAppearance.findMany({
      where: { claimId },
      include: { source: { select: { title: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toAppearanceResponse);
  }

  async addAppearance(actor: Principal, claimId: string, input: AppearanceInputDto, { at }: WriteOptions = {}): Promise<AppearanceResponse> {
    return this.write(claimId, async (tx) => {
      const claim = await this.lock(tx, claimId);
      if (claim.archivedAt) throw conflict(`Claim ${claimId} is archived.`);
      const appearance = await this.insertAppearance(tx, actor, claimId, input, '', at);
      await this.touch(tx, claimId, at);
      return appearance;
    });
  }

  async removeAppearance(actor: Principal, claimId: string, appearanceId: string): Promise<void> {
    await this.write(claimId, async (tx) => {
      const appearance = await tx.claimAppearance.findFirst({ where: { id: appearanceId, claimId } });
      if (!appearance) throw new NotFoundException(`Appearance ${appearanceId} of claim ${claimId} not found.`);
      await tx.claimAppearance.delete({ where: { id: appearanceId } });
      await this.touch(tx, claimId);
      await this.audit.record(tx, actor, { action: 'appearance.delete', entityType: 'appearance', entityId: appearanceId, before: appearance });
    });
  }

  /** Runs a transaction that changes claim `id` (and so announces it). */
  async write<T>(id: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transactions.write((tx, changed) => {
      changed('claims', id);
      return work(tx);
    });
  }

  /** Marks the claim changed when its evidence or appearances change, so `updatedSince` and caches see it. */
  async touch(tx: Db, id: string, at?: Date): Promise<void> {
    await tx.claim.update({ where: { id }, data: { updatedAt: at ?? new Date() } });
  }

  /**
   * Reads and locks the claim row for the rest of the transaction, so concurrent
   * writers of the claim queue. (NO KEY: inserts of evidence referring to it go on.)
   */
  async lock(tx: Db, id: string): Promise<Claim> {
    const row = await this.repository.lock(tx, id);
    if (!row) throw new NotFoundException(`Claim ${id} not found.`);
    return row;
  }

  /** Full claim views, in the order of `ids`; ids that do not exist (at `asOf`) are left out. */
  async views(ids: string[], asOf?: Date): Promise<ClaimResponse[]> {
    if (ids.length === 0) return [];
    const [claims, appearances, assessments, counts] = await Promise.all([
      this.rowsAt(ids, asOf),
      this.appearancesOf(ids, asOf),
      this.assessmentsInForce(ids, asOf),
      this.repository.evidenceCounts(ids, asOf),
    ]);
    const byId = new Map(claims.map((claim) => [claim.id, claim]));
    const appearancesOf = groupBy(appearances, (a) => a.claimId);
    const countsOf = groupBy(counts, (count) => count.claimId);
    return ids.flatMap((id) => {
      const claim = byId.get(id);
      if (!claim) return [];
      const evidenceCounts: EvidenceCounts = { supports: 0, contradicts: 0, context: 0 };
      for (const { stance, count } of countsOf.get(id) ?? []) evidenceCounts[stance] = count;
      return [
        toClaimResponse(claim, {
          appearances: (appearancesOf.get(id) ?? []).map(({ id, sourceId, sourceTitle, quote, createdAt }) => ({ id, sourceId, sourceTitle, quote, createdAt })),
          assessment: assessments.get(id) ?? null,
          evidenceCounts,
        }),
      ];
    });
  }

  /** The claims as they stood at `asOf` (from the audit trail), or as they are; ids not found are left out. */
  async rowsAt(ids: string[], asOf?: Date): Promise<ClaimSnapshot[]> {
    return asOf ? this.snapshotsAt(ids, asOf) : this.repository.byIds(ids);
  }

  /** Where the claims appeared, as recorded by `asOf` (or now), oldest first. */
  async appearancesOf(ids: string[], asOf?: Date): Promise<AppearanceRow[]> {
    return this.repository.appearancesOf(ids, asOf);
  }

  /** Per claim, the newest assessment version made at or before `asOf` (or the newest of all). */
  async assessmentsInForce(ids: string[], asOf?: Date): Promise<Map<string, AssessmentResponse>> {
    return this.repository.inForce(ids, asOf);
  }

  /** The claims a filter selects (existing and not archived at `asOf`, when given). */
  async listFilter(query: ClaimFilterDto, asOf: Date | undefined): Promise<Prisma.ClaimWhereInput> {
    const and: Prisma.ClaimWhereInput[] = [];
    if (!query.includeArchived) and.push(asOf ? { OR: [{ archivedAt: null }, { archivedAt: { gt: asOf } }] } : { archivedAt: null });
    if (asOf) and.push({ createdAt: { lte: asOf } });
    if (query.status) and.push({ status: query.status });
    if (query.topic) and.push({ topics: { has: query.topic.trim().toLowerCase() } });
    if (query.entity) and.push({ entities: { has: query.entity.trim() } });
    if (query.updatedSince) and.push({ updatedAt: { gte: toDate(query.updatedSince) } });
    if (query.source) {
      and.push({ OR: [{ appearances: { some: { sourceId: query.source } } }, { evidence: { some: { sourceId: query.source } } }] });
    }
    if (query.q) and.push({ id: { in: await this.repository.search(query.q) } });
    return { AND: and };
  }

  /** Claims as their audit trail recorded them at `asOf`. */
  private async snapshotsAt(ids: string[], asOf: Date): Promise<ClaimSnapshot[]> {
    return (await this.repository.snapshotsAt(ids, asOf))
      .map((after) => ({
        ...(after as unknown as ClaimSnapshot),
        createdAt: new Date(after.createdAt as string),
        updatedAt: new Date(after.updatedAt as string),
        archivedAt: after.archivedAt ? new Date(after.archivedAt as string) : null,
        priorProbability: (after.priorProbability as number | undefined) ?? null,
        resolvedAt: after.resolvedAt ? new Date(after.resolvedAt as string) : null,
        resolutionSourceId: (after.resolutionSourceId as string | undefined) ?? null,
        resolutionNote: (after.resolutionNote as string | undefined) ?? null,
      }))
      .filter((claim) => !claim.archivedAt || claim.archivedAt > asOf);
  }

  private async insertAppearance(
    tx: Db,
    actor: Principal,
    claimId: string,
    input: AppearanceInputDto,
    path: string,
    at: Date | undefined,
  ): Promise<AppearanceResponse> {
    await this.sources.requireQuotable(tx, input.sourceId, input.quote, path ? `${path}.quote` : 'quote');
    const row = await tx.claimAppearance.create({
      data: { claimId, sourceId: input.sourceId, quote: input.quote, createdById: actorId(actor), createdAt: at },
      include: { source: { select: { title: true } } },
    });
    const response = toAppearanceResponse(row);
    await this.audit.record(tx, actor, { at, action: 'appearance.create', entityType: 'appearance', entityId: row.id, after: { ...response, claimId } });
    return response;
  }

  private async find(id: string): Promise<void> {
    if (!(await this.prisma.claim.findUnique({ where: { id }, select: { id: true } }))) throw new NotFoundException(`Claim ${id} not found.`);
  }

  private async assertStatementFree(db: Db, key: string): Promise<void> {
    const existing = await db.claim.findUnique({ where: { statementKey: key }, select: { id: true } });
    if (existing) throw conflict(`A claim with the same statement already exists: ${existing.id}.`, { existingId: existing.id });
  }

  /** Runs a write; a unique-index race on the statement becomes the same 409 as the up-front check. */
  private async uniqueStatement<T>(key: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (key && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        await this.assertStatementFree(this.prisma, key);
      }
      throw error;
    }
  }
}
