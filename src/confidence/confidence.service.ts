import DataLoader from 'dataloader';
import { createHash } from 'node:crypto';
import { Injectable, NotFoundException, type BeforeApplicationShutdown, type MessageEvent as NestMessageEvent } from '@nestjs/common';
import { concatMap, defer, exhaustMap, from, interval, map, merge, startWith, Subject, switchMap, takeUntil, type Observable } from 'rxjs';
import { ClaimsService } from '../claims/claims.service.js';
import { AppConfig } from '../config/app-config.service.js';
import { weightedProbability } from '../analysis/evidence-weight.js';
import { estimativeTerm } from '../common/estimative.js';
import { cursorAfter, readCursor, rowsAfter, toPage, type KeysetOrder } from '../common/pagination.js';
import { ValidationProblem } from '../common/problem.js';
import { CachedLookup } from '../common/cached-lookup.js';
import { SAME_MOMENT } from '../common/same-moment.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { AnalyticConfidence, ClaimStatus } from '../generated/prisma/enums.js';
import { CONFIDENCE_BY_ID, CONFIDENCE_BY_IDS, EVIDENCE_LOG_ODDS_AT, FIRST_PAGE, PAGES_AFTER } from './confidence.sql.js';
import type { ConfidenceQueryDto } from './dto/confidence-query.dto.js';
import type { ConfidenceChange, ConfidenceChanges, ConfidenceResponse } from './dto/confidence.response.js';

interface ConfidenceRow {
  claimId: string;
  statement: string;
  status: ClaimStatus;
  updatedAt: Date;
  version: number;
  probability: number | null;
  confidence: AnalyticConfidence | null;
  assessedAt: Date | null;
  assessedById: string | null;
  assessedBy: string | null;
  supportingEvidence: number;
  contradictingEvidence: number;
  priorProbability: number | null;
  evidenceLogOdds: number;
}

interface ChangeRow {
  txid: string;
  seq: string;
  claimId: string;
  version: number;
  probability: number;
  confidence: AnalyticConfidence;
  assessedAt: Date;
  assessedById: string;
  assessedBy: string;
}

function toConfidence(row: ConfidenceRow): ConfidenceResponse {
  const evidenceProbability = weightedProbability(row.evidenceLogOdds, row.priorProbability ?? undefined);
  const analystTerm = row.probability === null ? null : estimativeTerm(row.probability);
  const evidenceTerm = estimativeTerm(evidenceProbability);
  return {
    claimId: row.claimId,
    statement: row.statement,
    status: row.status,
    probability: row.probability,
    estimativeTerm: analystTerm,
    confidence: row.confidence,
    version: row.version,
    assessedAt: row.assessedAt,
    assessedById: row.assessedById,
    assessedBy: row.assessedBy,
    supportingEvidence: row.supportingEvidence,
    contradictingEvidence: row.contradictingEvidence,
    evidenceProbability,
    evidenceTerm,
    priorProbability: row.priorProbability,
    gap: analystTerm && analystTerm !== evidenceTerm ? `analyst: ${analystTerm}; evidence: ${evidenceTerm}` : null,
    updatedAt: row.updatedAt,
  };
}

const toChange = (row: ChangeRow): ConfidenceChange => ({
  cursor: `${row.txid}.${row.seq}`,
  claimId: row.claimId,
  version: row.version,
  probability: row.probability,
  estimativeTerm: estimativeTerm(row.probability),
  confidence: row.confidence,
  assessedAt: row.assessedAt,
  assessedById: row.assessedById,
  assessedBy: row.assessedBy,
});

/**
 * An answer as sent: JSON bytes and their strong ETag. Confidence answers are
 * serialized and hashed once, when cached, not on every request; a page is
 * their concatenation.
 */
export interface SerializedJson {
  json: Buffer;
  etag: string;
}

/** Pages of confidence are in the claim list's default order: most recently changed first. */
const PAGE_ORDER: KeysetOrder = { field: 'updatedAt', direction: 'desc' };
interface PagedClaim {
  id: string;
  updatedAt: Date;
}

function pageStart(cursor: string): PagedClaim {
  const { id, value } = readCursor(cursor, PAGE_ORDER);
  if (!(value instanceof Date)) throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor value of this list'] }]);
  return { id, updatedAt: value };
}

const ITEMS_START = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');

const etagOf = (content: string | Buffer) => `"${createHash('sha1').update(content).digest('base64url')}"`;

function serialize(value: ConfidenceResponse): SerializedJson {
  const json = Buffer.from(JSON.stringify(value));
  return { json, etag: etagOf(json) };
}

/** Current confidence per claim for API clients, and the feed of assessment changes. */
@Injectable()
export class ConfidenceService implements BeforeApplicationShutdown {
  /** Ends open streams on shutdown; otherwise their connections would keep the server from closing. */
  private readonly shutdown$ = new Subject<void>();
  private readonly cache: CachedLookup<SerializedJson>;
  private readonly totals: CachedLookup<number>;
  /**
   * Ids of the page after a cursor. The pages asked for while the event loop polls
   * are read in one query: under load, a round trip per page cost the service more
   * than everything else it does for the page.
   */
  private readonly pagesAfter = new DataLoader<{ after: { updatedAt: Date; id: string }; size: number }, PagedClaim[]>(
    async (requests) => {
      const { rows } = await this.prisma.pool.query<PagedClaim & { n: number }>({
        ...PAGES_AFTER,
        values: [requests.map((r) => r.after.updatedAt), requests.map((r) => r.after.id), requests.map((r) => r.size)],
      });
      const pages = requests.map((): PagedClaim[] => []);
      for (const { n, id, updatedAt } of rows) pages[n - 1].push({ id, updatedAt });
      return pages;
    },
    { ...SAME_MOMENT, maxBatchSize: 100 },
  );

  constructor(
    private readonly prisma: PrismaService,
    private readonly claims: ClaimsService,
    private readonly config: AppConfig,
    events: DatabaseEvents,
  ) {
    this.cache = new CachedLookup(events, 'claims', { max: 100_000, ttl: 300_000, perKey: true });
    this.totals = new CachedLookup(events, 'claims', { max: 1_000, ttl: 300_000, perKey: false });
    // Assessors' names appear in the answers.
    events.on('users', () => this.cache.clear());
  }

  beforeApplicationShutdown(): void {
    this.shutdown$.next();
    this.shutdown$.complete();
  }

  /** The hot read of API clients: cached per process until the database announces a change to the claim. */
  async get(claimId: string): Promise<SerializedJson> {
    const row = await this.cache.get(claimId, async () => {
      const { rows } = await this.prisma.pool.query<ConfidenceRow>({ ...CONFIDENCE_BY_ID, values: [claimId] });
      return rows[0] && serialize(toConfidence(rows[0]));
    });
    if (!row) throw new NotFoundException(`Claim ${claimId} not found.`);
    return row;
  }

  /** The confidence in force at `asOf`: the assessment version, claim fields and evidence of that moment. Not cached. */
  async at(claimId: string, asOf: Date): Promise<SerializedJson> {
    const [[view], { rows }] = await Promise.all([
      this.claims.views([claimId], asOf),
      this.prisma.pool.query<{ logOdds: number }>({ ...EVIDENCE_LOG_ODDS_AT, values: [claimId, asOf] }),
    ]);
    if (!view) throw new NotFoundException(`Claim ${claimId} did not exist at ${asOf.toISOString()}.`);
    const assessment = view.assessment;
    return serialize(
      toConfidence({
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
        supportingEvidence: view.evidenceCounts.supports,
        contradictingEvidence: view.evidenceCounts.contradicts,
        priorProbability: view.priorProbability,
        evidenceLogOdds: rows[0]?.logOdds ?? 0,
      }),
    );
  }

  /** A page of confidences, `{ items, total, nextCursor }` like every list. */
  async list(query: ConfidenceQueryDto): Promise<SerializedJson> {
    const { cursor: _, limit: __, ...filters } = query;
    const unfiltered = !query.q && !query.topic && !query.status && !query.entity && !query.source && !query.updatedSince && !query.includeArchived;
    // Only filtered pages and uncached totals need the ORM filter (a search runs a query).
    let where: Promise<Prisma.ClaimWhereInput> | undefined;
    const filter = () => (where ??= this.claims.listFilter(query, undefined));
    const [claims, total] = await Promise.all([
      // API clients mostly page through everything: those pages skip the ORM, and concurrent ones share a query.
      unfiltered
        ? query.cursor
          ? this.pagesAfter.load({ after: pageStart(query.cursor), size: query.limit + 1 })
          : this.prisma.pool.query<PagedClaim>({ ...FIRST_PAGE, values: [query.limit + 1] }).then(({ rows }) => rows)
        : filter().then((where) =>
            this.prisma.claim.findMany({
              where: { AND: [where, rowsAfter(query.cursor, PAGE_ORDER)] },
              orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
              take: query.limit + 1,
              select: { id: true, updatedAt: true },
            }),
          ),
      // Totals change only with claims, so they are cached like the claims themselves.
      this.totals.get(JSON.stringify(filters), async () => this.prisma.claim.count({ where: await filter() })) as Promise<number>,
    ]);
    const page = toPage(claims, total, query.limit, (claim) => cursorAfter(PAGE_ORDER, claim.id, claim.updatedAt), (claim) => claim.id);
    const items = await this.rows(page.items);
    const rest = `],"total":${page.total},"nextCursor":${JSON.stringify(page.nextCursor)}}`;
    return {
      json: Buffer.concat([ITEMS_START, ...items.flatMap((item, i) => (i ? [COMMA, item.json] : [item.json])), Buffer.from(rest)]),
      // Each item's ETag stands for its JSON, so hashing them stands for the page.
      etag: etagOf(items.map((item) => item.etag).join('') + rest),
    };
  }

  /**
   * Assessment changes after `since`, in the order of their transactions. A change
   * is released only once every older transaction has ended, so a poller never
   * skips one that commits late, and never sees one twice.
   */
  async changes(since: string | undefined, limit: number): Promise<ConfidenceChanges> {
    const [txid, seq] = (since ?? '0.0').split('.');
    const rows = await this.prisma.$queryRaw<ChangeRow[]>`
      SELECT a.txid::text AS txid, a.change_seq::text AS seq, a.claim_id AS "claimId", a.version, a.probability,
             a.confidence::text AS confidence, a.created_at AS "assessedAt", a.created_by_id AS "assessedById", u.name AS "assessedBy"
      FROM assessments a JOIN users u ON u.id = a.created_by_id
      WHERE (a.txid, a.change_seq) > (${txid}::xid8, ${seq}::bigint)
        AND a.txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY a.txid, a.change_seq
      LIMIT ${limit}`;
    const items = rows.map(toChange);
    return { items, nextCursor: items.at(-1)?.cursor ?? since ?? '0.0' };
  }

  /**
   * How far the change feed is held back. A change is released once every older
   * transaction in the PostgreSQL cluster has ended, so one long transaction anywhere
   * (even in another database) holds back every change written after it began.
   */
  async feedLag(): Promise<{ unreleasedChanges: number; oldestUnreleasedSeconds: number; oldestTransactionSeconds: number }> {
    const [row] = await this.prisma.$queryRaw<{ unreleasedChanges: number; oldestUnreleasedSeconds: number; oldestTransactionSeconds: number }[]>`
      SELECT count(*)::int AS "unreleasedChanges",
             coalesce(extract(epoch FROM greatest(now() - min(created_at), interval '0')), 0)::float8 AS "oldestUnreleasedSeconds",
             (SELECT coalesce(extract(epoch FROM now() - min(xact_start)), 0)::float8 FROM pg_stat_activity
               WHERE pid <> pg_backend_pid() AND (backend_xid IS NOT NULL OR backend_xmin IS NOT NULL)) AS "oldestTransactionSeconds"
      FROM assessments WHERE txid >= pg_snapshot_xmin(pg_current_snapshot())`;
    return row;
  }

  /** The feed position after every change released so far: where a new live stream starts. */
  async head(): Promise<string> {
    const [row] = await this.prisma.$queryRaw<{ cursor: string }[]>`
      SELECT txid::text || '.' || change_seq::text AS cursor FROM assessments
      WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY txid DESC, change_seq DESC LIMIT 1`;
    return row?.cursor ?? '0.0';
  }

  /**
   * Live changes after `since` (default: from now), polled every `pollMs`. Each event's id is
   * its cursor. A "heartbeat" event (no id, so Last-Event-ID stays put) keeps idle streams
   * open through proxies that close connections silent for a minute.
   */
  stream(since: string | undefined, pollMs = 1000): Observable<NestMessageEvent> {
    const heartbeats = interval(this.config.streamHeartbeatSeconds * 1000).pipe(map((): NestMessageEvent => ({ type: 'heartbeat', data: '' })));
    const changes = defer(async () => since ?? (await this.head())).pipe(
      switchMap((start) => {
        let cursor = start;
        return interval(pollMs).pipe(
          startWith(0),
          exhaustMap(async () => {
            const { items, nextCursor } = await this.changes(cursor, 500);
            cursor = nextCursor;
            return items;
          }),
          concatMap((items) => from(items)),
        );
      }),
      map((change): NestMessageEvent => ({ id: change.cursor, type: 'confidence', data: change })),
    );
    return merge(changes, heartbeats).pipe(takeUntil(this.shutdown$));
  }

  private async rows(ids: string[]): Promise<SerializedJson[]> {
    if (ids.length === 0) return [];
    const byId = await this.cache.getMany(ids, async (missing) => {
      const { rows } = await this.prisma.pool.query<ConfidenceRow>({ ...CONFIDENCE_BY_IDS, values: [missing] });
      return new Map(rows.map((row) => [row.claimId, serialize(toConfidence(row))]));
    });
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}

