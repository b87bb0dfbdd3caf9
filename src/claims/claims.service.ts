import { TrackRecordsService } from '../track-records/track-records.service.js';
import { CorroborationService } from '../provenance/corroboration.service.js';
import { OriginatorsService } from '../provenance/originators.service.js';
import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { archivedClaim, conflict, Problem, unprocessable, ValidationProblem } from '../common/problem.js';
import { foldStatement } from '../common/text.js';
import { Transactions, type Tx } from '../database/transactions.js';
import { PrismaService } from '../database/prisma.service.js';
import { Prisma, type Claim } from '../generated/prisma/client.js';
import { quoteSelectors, type QuoteAnchorColumns } from '../sources/dto/quote-selector.dto.js';
import { SourcesService } from '../sources/sources.service.js';
import { ClaimViews } from './claim-views.service.js';
import { ClaimsRepository } from './claims.repository.js';
import { claimEtag } from './claim-etag.js';
import { toClaimSnapshot, type AppearanceResponse, type ClaimResponse } from './dto/claim.response.js';
import type { AppearanceInputDto, CreateClaimDto } from './dto/create-claim.dto.js';
import type { WriteOptions } from '../common/write-options.js';
import type { AnnulResolutionDto, ResolveClaimDto } from './dto/resolve-claim.dto.js';
import type { UpdateClaimDto } from './dto/update-claim.dto.js';

type Db = Prisma.TransactionClient;

const toAppearanceResponse = (row: QuoteAnchorColumns & { id: string; sourceId: string; source: { title: string }; originatorId: string | null; createdAt: Date }): AppearanceResponse => ({
  id: row.id,
  sourceId: row.sourceId,
  sourceTitle: row.source.title,
  quote: row.quote,
  originatorId: row.originatorId,
  selectors: quoteSelectors(row),
  quoteDriftedAt: row.quoteDriftedAt,
  createdAt: row.createdAt,
});

/** How far ahead of this server's clock a client's "now" may be. */
const CLOCK_SKEW_MS = 5 * 60_000;

function statementKey(statement: string): string {
  const key = foldStatement(statement);
  if (!key) throw new ValidationProblem([{ field: 'statement', messages: ['statement must contain letters or digits'] }]);
  return key;
}

@Injectable()
export class ClaimsService {
  private readonly logger = new Logger(ClaimsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ClaimsRepository,
    private readonly claimViews: ClaimViews,
    private readonly audit: AuditService,
    private readonly sources: SourcesService,
    private readonly transactions: Transactions,
    private readonly originators: OriginatorsService,
    private readonly corroboration: CorroborationService,
    private readonly trackRecords: TrackRecordsService,
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
        // A prior other than even odds is already an evidence-weighted probability, with no evidence yet.
        if (claim.priorProbability !== null) await this.corroboration.reweigh(tx, [claim.id], { cause: 'prior', actor, at });
        changed('claims', claim.id);
        return claim.id;
      }),
    );
    return this.claimViews.get(id);
  }


  async update(actor: Principal, id: string, input: UpdateClaimDto, ifMatch?: string): Promise<ClaimResponse> {
    const key = input.statement === undefined ? undefined : statementKey(input.statement);
    const seen = ifMatch === undefined || ifMatch === '*' ? undefined : await this.claimViews.get(id);
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
        if (after.priorProbability !== before.priorProbability) await this.corroboration.reweigh(tx, [id], { cause: 'prior', actor });
        await this.audit.record(tx, actor, {
          action: 'claim.update',
          entityType: 'claim',
          entityId: id,
          before: toClaimSnapshot(before),
          after: toClaimSnapshot(after),
        });
      }),
    );
    return this.claimViews.get(id);
  }

  /** Records the truth about a claim: its status becomes resolved true or false. */
  async resolve(actor: Principal, id: string, input: ResolveClaimDto): Promise<ClaimResponse> {
    await this.write(id, async (tx) => {
      const before = await this.lock(tx, id);
      const resolvedAt = new Date(input.resolvedAt);
      if (resolvedAt <= before.createdAt) throw unprocessable('resolvedAt', `is before the claim was recorded (${before.createdAt.toISOString()})`);
      if (resolvedAt.getTime() > Date.now() + CLOCK_SKEW_MS) throw unprocessable('resolvedAt', 'is in the future: record a resolution once the truth is known');
      if (input.sourceId && !(await tx.source.findUnique({ where: { id: input.sourceId }, select: { id: true } }))) {
        throw unprocessable('sourceId', `source ${input.sourceId} does not exist`);
      }
      const after = await tx.claim.update({
        where: { id },
        data: {
          status: input.outcome ? 'resolved_true' : 'resolved_false',
          resolvedAt,
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
      await this.trackRecords.rescore(tx, [id]);
    });
    await this.afterResolution();
    return this.claimViews.get(id);
  }

  /** Annuls a resolution (the claim turned out ill-posed): the claim stays closed and leaves every score. */
  async annul(actor: Principal, id: string, input: AnnulResolutionDto): Promise<ClaimResponse> {
    await this.write(id, async (tx) => {
      const before = await this.lock(tx, id);
      if (!before.resolvedAt) throw conflict(`Claim ${id} is not resolved: only a resolution can be annulled.`);
      const after = await tx.claim.update({ where: { id }, data: { status: 'annulled', resolutionNote: input.note ?? before.resolutionNote } });
      await this.audit.record(tx, actor, { action: 'claim.annul', entityType: 'claim', entityId: id, before: toClaimSnapshot(before), after: toClaimSnapshot(after) });
      await this.trackRecords.rescore(tx, [id]);
    });
    await this.afterResolution();
    return this.claimViews.get(id);
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
      await this.trackRecords.rescore(tx, [id]);
    });
    await this.afterResolution();
    return this.claimViews.get(id);
  }

  /**
   * A resolution changed the track records, and so perhaps the analysts' weights in the
   * consensus. The resolution is stored whatever happens here: a failure is logged, and the
   * next resolution (or start-up) refreshes the weights.
   */
  private async afterResolution(): Promise<void> {
    try {
      await this.trackRecords.refreshWeights();
    } catch (error) {
      this.logger.error(`Consensus weights not refreshed after a resolution: ${error instanceof Error ? error.message : String(error)}`);
    }
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
      if (claim.archivedAt) throw archivedClaim(claimId);
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





  private async insertAppearance(
    tx: Db,
    actor: Principal,
    claimId: string,
    input: AppearanceInputDto,
    path: string,
    at: Date | undefined,
  ): Promise<AppearanceResponse> {
    const anchor = await this.sources.anchorQuote(tx, input.sourceId, input.quote, input.selector, path ? `${path}.quote` : 'quote');
    const originatorId = input.originatorId ? await this.originators.requireAttributable(tx, input.originatorId, path ? `${path}.originatorId` : 'originatorId') : null;
    const row = await tx.claimAppearance.create({
      data: { claimId, sourceId: input.sourceId, quote: input.quote, ...anchor, originatorId, createdById: actorId(actor), createdAt: at },
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
