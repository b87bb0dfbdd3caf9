import DataLoader from 'dataloader';
import { Injectable, NotFoundException } from '@nestjs/common';
import { ClaimViews } from '../claims/claim-views.service.js';
import { ClaimsRepository, type ClaimOrder } from '../claims/claims.repository.js';
import { CachedLookup } from '../common/cached-lookup.js';
import { cursorAfter, fitsColumn, readCursor, toPage } from '../common/pagination.js';
import { SAME_MOMENT } from '../common/same-moment.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import { etagOf, toConfidence, toEntry, type ConfidenceEntry, type SerializedJson } from './confidence-answer.js';
import { CorroborationService } from '../provenance/corroboration.service.js';
import { ConfidenceRepository, type PagedClaim, type PagedView, type PageStart } from './confidence.repository.js';
import type { ConfidenceQueryDto } from './dto/confidence-query.dto.js';
import type { ConfidenceResponse } from './dto/confidence.response.js';
import type { Principal } from '../auth/principal.js';
import { AppConfig } from '../config/app-config.service.js';
import { EstimatesRepository } from '../team/estimates.repository.js';
import { teamsSeenBy } from '../team/team-access.js';

/** Pages of confidence are in the claim list's default order: most recently changed first. */
const PAGE_ORDER: ClaimOrder = { field: 'updatedAt', direction: 'desc' };

function pageStart(cursor: string): PageStart {
  const { id, value } = readCursor(cursor, PAGE_ORDER, fitsColumn('timestamptz', false));
  return { id, updatedAt: value as Date };
}

const ITEMS_START = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');

/** Current confidence per claim, for API clients. */
@Injectable()
export class ConfidenceService {
  /**
   * Serialized answers per claim. Depends on: `claims` (a claim's fields, evidence,
   * assessments and estimates, and its topics turning blind, announced per claim) and
   * `users` (assessors' names appear in answers).
   */
  private readonly cache: CachedLookup<ConfidenceEntry>;
  /** Totals per filter. Depends on: `claims`, any of them. */
  private readonly totals: CachedLookup<number>;
  /**
   * The pages after cursors. The pages asked for while the event loop polls are read
   * in one query: under load, a round trip per page cost the service more than
   * everything else it does for the page.
   */
  private readonly pagesAfter = Object.fromEntries(
    (['current', 'dissent'] as const).map((view) => [
      view,
      new DataLoader<{ after: PageStart; size: number }, PagedClaim[]>(
        (requests) => this.repository.pagesAfter(view, requests.map((r) => r.after), requests.map((r) => r.size)),
        { ...SAME_MOMENT, maxBatchSize: 100 },
      ),
    ]),
  ) as Record<PagedView, DataLoader<{ after: PageStart; size: number }, PagedClaim[]>>;

  /**
   * Claims missing from the cache, read together when their requests arrived together: after a
   * start or a change, each miss then costs a share of one query, not a round trip of its own.
   */
  private readonly uncached = new DataLoader<string, ConfidenceEntry | undefined>(async (ids) => {
    const entries = await this.read([...ids]);
    return ids.map((id) => entries.get(id));
  }, SAME_MOMENT);

  constructor(
    private readonly repository: ConfidenceRepository,
    private readonly claims: ClaimViews,
    private readonly claimsRepository: ClaimsRepository,
    private readonly estimates: EstimatesRepository,
    private readonly config: AppConfig,
    private readonly corroboration: CorroborationService,
    events: DatabaseEvents,
  ) {
    this.cache = new CachedLookup(events, 'claims', { max: config.confidenceCacheClaims, ttl: 300_000, perKey: true });
    this.totals = new CachedLookup(events, 'claims', { max: 1_000, ttl: 300_000, perKey: false });
    events.on('users', () => this.cache.clear());
  }

  /** The hot read of API clients: cached per process until the database announces a change to the claim. */
  async get(claimId: string, viewer: Principal): Promise<SerializedJson> {
    const entry = await this.cache.get(claimId, () => this.uncached.load(claimId));
    if (!entry) throw new NotFoundException(`Claim ${claimId} not found.`);
    return (await this.asSeenBy(viewer, [entry], [claimId]))[0];
  }

  /** The confidence in force at `asOf`: the assessment version, claim fields, evidence and estimates of that moment. Not cached. */
  async at(claimId: string, asOf: Date, viewer: Principal): Promise<SerializedJson> {
    const answer = await this.answerAt(claimId, asOf);
    if (!answer) throw new NotFoundException(`Claim ${claimId} did not exist at ${asOf.toISOString()}.`);
    return (await this.asSeenBy(viewer, [toEntry(answer)], [claimId]))[0];
  }

  /** `at`, unserialized and as everyone may see it (the caller applies blind first); null when the claim did not exist then. */
  async answerAt(claimId: string, asOf: Date): Promise<ConfidenceResponse | null> {
    const [[view], estimates, blind] = await Promise.all([
      this.claims.views([claimId], asOf),
      this.estimates.latestAt(claimId, asOf),
      this.estimates.blindClaims([claimId]),
    ]);
    if (!view) return null;
    const evidence = (await this.corroboration.weightsAt([claimId], asOf)).get(claimId)!;
    const assessment = view.assessment;
    return toConfidence(
      {
        claimId,
        statement: view.statement,
        status: view.status,
        updatedAt: view.updatedAt,
        version: assessment?.version ?? 0,
        probability: assessment?.probability ?? null,
        confidence: assessment?.confidence ?? null,
        assessedAt: assessment?.createdAt ?? null,
        assessedById: assessment?.createdById ?? null,
        assessedBy: assessment?.createdByName ?? null,
        supportingEvidence: evidence.supportingItems,
        supportingOrigins: evidence.supportingOrigins,
        contradictingEvidence: evidence.contradictingItems,
        contradictingOrigins: evidence.contradictingOrigins,
        priorProbability: view.priorProbability,
        evidenceLogOdds: evidence.logOdds,
        // Blind first is a rule of access, so it is today's.
        blind: blind.has(claimId),
        estimates,
      },
      this.config.consensusExtremizing,
    );
  }

  /** `answerAt` as `viewer` may see it. */
  async answerAtFor(claimId: string, asOf: Date, viewer: Principal): Promise<ConfidenceResponse | null> {
    const answer = await this.answerAt(claimId, asOf);
    return answer && (JSON.parse((await this.asSeenBy(viewer, [toEntry(answer)], [claimId]))[0].json.toString('utf8')) as ConfidenceResponse);
  }

  /** Current confidence in claims, as `viewer` may see it (from the same cache as `get`); claims not found are left out. */
  async current(claimIds: string[], viewer: Principal): Promise<ConfidenceResponse[]> {
    const found = await this.entries(claimIds);
    return (await this.asSeenBy(viewer, found.map(([, entry]) => entry), found.map(([id]) => id))).map((answer) => JSON.parse(answer.json.toString('utf8')) as ConfidenceResponse);
  }

  /**
   * Each answer as `viewer` may see it: blind claims' teams hidden from those not entitled
   * (see teamsSeenBy).
   */
  async asSeenBy(viewer: Principal, entries: ConfidenceEntry[], claimIds: string[]): Promise<SerializedJson[]> {
    if (entries.every((entry) => !entry.hidden)) return entries.map((entry) => entry.full);
    const seen = await teamsSeenBy(viewer, entries.map((entry, i) => ({ claimId: claimIds[i], facts: entry.facts })), (analystId, ids) => this.estimates.estimatedBy(analystId, ids));
    return entries.map((entry, i) => (entry.hidden && !seen[i] ? entry.hidden : entry.full));
  }

  /** A page of confidences, `{ items, total, nextCursor }` like every list. */
  async list(query: ConfidenceQueryDto, viewer: Principal): Promise<SerializedJson> {
    const { cursor: _, limit: __, ...filters } = query;
    const { dissent, includeArchived, ...others } = filters;
    // Pages of all current claims, or of those with dissent, are what API clients page through.
    const view: PagedView | undefined = !includeArchived && Object.values(others).every((value) => value === undefined) ? (dissent ? 'dissent' : 'current') : undefined;
    const filter = () => this.claims.listFilter(query, undefined);
    const [claims, total] = await Promise.all<[Promise<(PagedClaim | PageStart)[]>, Promise<number>]>([
      // API clients mostly page through everything: those pages read an index alone, and concurrent ones share a query.
      view
        ? query.cursor
          ? this.pagesAfter[view].load({ after: pageStart(query.cursor), size: query.limit + 1 })
          : this.repository.firstPage(view, query.limit + 1)
        : this.claimsRepository
            .page(filter(), PAGE_ORDER, { cursor: query.cursor, limit: query.limit + 1, counted: false })
            .then(({ rows }) => rows.map((row) => ({ id: row.id, updatedAt: row.value as Date }))),
      // Totals change only with claims, so they are cached like the claims themselves.
      this.totals.get(JSON.stringify(filters), async () => (await this.claimsRepository.page(filter(), PAGE_ORDER, { limit: 0, counted: true })).total!) as Promise<number>,
    ]);
    const page = toPage(claims, total, query.limit, (claim) => cursorAfter(PAGE_ORDER, claim.id, new Date(claim.updatedAt)), (claim) => claim.id);
    const found = await this.entries(page.items);
    const items = await this.asSeenBy(viewer, found.map(([, entry]) => entry), found.map(([id]) => id));
    const rest = `],"total":${page.total},"nextCursor":${JSON.stringify(page.nextCursor)}}`;
    return {
      json: Buffer.concat([ITEMS_START, ...items.flatMap((item, i) => (i ? [COMMA, item.json] : [item.json])), Buffer.from(rest)]),
      // Each item's ETag stands for its JSON, so hashing them stands for the page.
      etag: etagOf(items.map((item) => item.etag).join('') + rest),
    };
  }

  /** The claims' entries as the database has them now (claims not found left out). */
  private async read(ids: string[]): Promise<Map<string, ConfidenceEntry>> {
    const rows = await this.repository.byIds(ids);
    return new Map(rows.map((row) => [row.claimId, toEntry(toConfidence(row, this.config.consensusExtremizing))]));
  }

  /** Cached entries of the claims found, in the order asked. */
  private async entries(ids: string[]): Promise<[string, ConfidenceEntry][]> {
    if (ids.length === 0) return [];
    const byId = await this.cache.getMany(ids, (missing) => this.read(missing));
    return ids.flatMap((id): [string, ConfidenceEntry][] => {
      const entry = byId.get(id);
      return entry ? [[id, entry]] : [];
    });
  }
}
