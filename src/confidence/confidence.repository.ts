import { Injectable } from '@nestjs/common';
import type { LabelledClaim } from '../claims/claim-selection.js';
import { PrismaService } from '../database/prisma.service.js';
import { BLIND_SQL, LATEST_PROBABILITIES_SQL, type LatestEstimate } from '../team/estimates.repository.js';
import { defineQuery, isoText, queryRows, type Query } from '../database/query.js';
import { DISSENT_BANDS } from '../analysis/consensus.js';
import type { AnalyticConfidence, ClaimStatus } from '../generated/prisma/enums.js';

export interface ConfidenceRow {
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
  supportingOrigins: number;
  contradictingEvidence: number;
  contradictingOrigins: number;
  priorProbability: number | null;
  evidenceLogOdds: number;
  /** Blind first, by the claim's own flag or one of its topics. */
  blind: boolean;
  /** Each analyst's latest estimate (withdrawn ones left out). */
  estimates: Pick<LatestEstimate, 'analystId' | 'probability' | 'weight'>[];
}

/**
 * A change in the feed: a new assessment version, (kind "estimate") a new version of an analyst's
 * estimate, or (kind "evidence") a new evidence weight of a claim.
 */
export interface ChangeRow {
  kind: 'assessment' | 'estimate' | 'evidence';
  txid: string;
  seq: string;
  claimId: string;
  version: number;
  /** Null for an estimate that withdraws, or of a blind claim (its values are not broadcast). */
  probability: number | null;
  confidence: AnalyticConfidence | null;
  at: Date;
  /** Null for an evidence weight changed by an API key or the system. */
  actorId: string | null;
  actor: string;
  withdrawn: boolean;
  blind: boolean;
  /** Evidence weights only (null otherwise): what moved it, and the counts behind it. */
  cause: string | null;
  supportingItems: number | null;
  supportingOrigins: number | null;
  contradictingItems: number | null;
  contradictingOrigins: number | null;
}

/** Where a page starts: after this claim's position. */
export interface PageStart {
  id: string;
  updatedAt: Date;
}

/** A claim in page order; its update time as ISO text (a page parses one, for its cursor, not a hundred). */
export interface PagedClaim {
  id: string;
  updatedAt: string;
}

export interface FeedLag {
  unreleasedChanges: number;
  oldestUnreleasedSeconds: number;
  oldestTransactionSeconds: number;
}

const CONFIDENCE_COLUMNS = {
  claimId: true, statement: true, status: true, updatedAt: true, version: true, probability: true, confidence: true, assessedAt: true,
  assessedById: true, assessedBy: true, supportingEvidence: true, supportingOrigins: true, contradictingEvidence: true, contradictingOrigins: true, priorProbability: true, evidenceLogOdds: true,
  blind: true, estimates: true,
} as const;
const CHANGE_COLUMNS = {
  kind: true, txid: true, seq: true, claimId: true, version: true, probability: true, confidence: true, at: true, actorId: true, actor: true, withdrawn: true, blind: true,
  cause: true, supportingItems: true, supportingOrigins: true, contradictingItems: true, contradictingOrigins: true,
} as const;

/** Current confidence per claim: the API clients' hot read, also used by the benchmark's baseline. */
const CONFIDENCE_SELECT = `
  SELECT c.id AS "claimId", c.statement, c.status::text AS status, c.updated_at AS "updatedAt",
         c.current_version AS version, a.probability, a.confidence::text AS confidence,
         a.created_at AS "assessedAt", a.created_by_id AS "assessedById", u.name AS "assessedBy",
         c.supporting_items AS "supportingEvidence", c.supporting_origins AS "supportingOrigins",
         c.contradicting_items AS "contradictingEvidence", c.contradicting_origins AS "contradictingOrigins",
         c.prior_probability AS "priorProbability", c.evidence_log_odds AS "evidenceLogOdds",
         ${BLIND_SQL('c')} AS blind,
         ${LATEST_PROBABILITIES_SQL('c.id')} AS estimates
  FROM claims c
  LEFT JOIN assessments a ON a.claim_id = c.id AND a.version = c.current_version
  LEFT JOIN users u ON u.id = a.created_by_id`;
// Prepared once per connection: API clients call this far more than anything else.
const CONFIDENCE_BY_IDS = defineQuery<[claimIds: string[]], ConfidenceRow>('confidence_by_ids', `${CONFIDENCE_SELECT} WHERE c.id = ANY($1::uuid[])`, CONFIDENCE_COLUMNS);
// One claim, the usual miss once the cache is warm. Through `= ANY($1)` PostgreSQL would plan it
// afresh on every call (its generic plan assumes ten ids, so a custom plan always looks cheaper):
// planning cost twice what running it did (PostgreSQL's time per miss 0.8-1.1 ms, not 0.3-0.4 ms).
const CONFIDENCE_BY_ID = defineQuery<[claimId: string], ConfidenceRow>('confidence_by_id', `${CONFIDENCE_SELECT} WHERE c.id = $1::uuid`, CONFIDENCE_COLUMNS);

/**
 * The claims API clients page through without a filter, or with `dissent=true` only: each
 * its own statements (and partial index), so that a page is an index-only scan.
 */
export type PagedView = 'current' | 'dissent';
const VIEW_WHERE: Record<PagedView, string> = {
  current: 'archived_at IS NULL',
  dissent: `archived_at IS NULL AND team_band_span >= ${DISSENT_BANDS}`,
};

/** The view's claims, most recently changed first, as the claim list orders them. */
const FIRST_PAGE = Object.fromEntries(
  Object.entries(VIEW_WHERE).map(([view, where]) => [
    view,
    defineQuery<[size: number], PagedClaim>(
      `confidence_first_page_${view}`,
      `SELECT id, ${isoText('updated_at')} AS "updatedAt" FROM claims WHERE ${where} ORDER BY updated_at DESC, id DESC LIMIT $1::int`,
      { id: true, updatedAt: true },
    ),
  ]),
) as Record<PagedView, Query<[size: number], PagedClaim>>;

/**
 * The pages after several cursor positions, in one round trip ($1 and $2 each cursor's
 * update time and claim id, $3 page sizes; `n` numbers the requests from 1). Keyset: nothing
 * is skipped or repeated while claims change, and a cursor's claim may since be gone.
 */
const PAGES_AFTER = Object.fromEntries(
  Object.entries(VIEW_WHERE).map(([view, where]) => [
    view,
    defineQuery<[updatedAt: Date[], ids: string[], sizes: number[]], PagedClaim & { n: number }>(
      `confidence_pages_after_${view}`,
      `SELECT request.n::int AS n, page.id, ${isoText('page.updated_at')} AS "updatedAt"
         FROM unnest($1::timestamptz[], $2::uuid[], $3::int[]) WITH ORDINALITY AS request(updated_at, id, size, n)
         CROSS JOIN LATERAL (
           SELECT id, updated_at FROM claims WHERE ${where} AND (updated_at, id) < (request.updated_at, request.id)
           ORDER BY updated_at DESC, id DESC LIMIT request.size) page
         ORDER BY request.n, page.updated_at DESC, page.id DESC`,
      { n: true, id: true, updatedAt: true },
    ),
  ]),
) as Record<PagedView, Query<[updatedAt: Date[], ids: string[], sizes: number[]], PagedClaim & { n: number }>>;

/**
 * The change feed's release rule: a change (by its transaction id) is released once every
 * older transaction in the PostgreSQL cluster has ended, so that none commits behind a cursor.
 */
const RELEASED = (row: string) => `${row}.txid < pg_snapshot_xmin(pg_current_snapshot())`;

/** The columns only evidence weights fill, empty for the other kinds of change. */
const NO_WEIGHT = 'NULL::text, NULL::int, NULL::int, NULL::int, NULL::int';

/**
 * The changes after ($1, $2), oldest first: assessment versions, with $4 estimate versions, with
 * $5 evidence weights (one sequence numbers all three, so they interleave in commit order).
 */
const CHANGES_AFTER = defineQuery<[txid: string, seq: string, limit: number, estimates: boolean, evidence: boolean], ChangeRow>(
  'feed_changes_after',
  `SELECT kind, txid, seq, "claimId", version, probability, confidence, at, "actorId", actor, withdrawn, blind,
          cause, "supportingItems", "supportingOrigins", "contradictingItems", "contradictingOrigins" FROM (
     (SELECT 'assessment' AS kind, a.txid::text AS txid, a.change_seq::text AS seq, a.txid AS tx, a.change_seq, a.claim_id AS "claimId", a.version,
             a.probability, a.confidence::text AS confidence, a.created_at AS at, a.created_by_id AS "actorId", u.name AS actor, false AS withdrawn, false AS blind,
             NULL::text AS cause, NULL::int AS "supportingItems", NULL::int AS "supportingOrigins", NULL::int AS "contradictingItems", NULL::int AS "contradictingOrigins"
      FROM assessments a JOIN users u ON u.id = a.created_by_id
      WHERE (a.txid, a.change_seq) > ($1::xid8, $2::bigint) AND ${RELEASED('a')}
      ORDER BY a.txid, a.change_seq LIMIT $3::int)
     UNION ALL
     (SELECT 'estimate', e.txid::text, e.change_seq::text, e.txid, e.change_seq, e.claim_id, e.version,
             CASE WHEN ${BLIND_SQL('c')} THEN NULL ELSE e.probability END, CASE WHEN ${BLIND_SQL('c')} THEN NULL ELSE e.confidence::text END,
             e.created_at, e.analyst_id, u.name, e.withdrawn, ${BLIND_SQL('c')}, ${NO_WEIGHT}
      FROM estimates e JOIN users u ON u.id = e.analyst_id JOIN claims c ON c.id = e.claim_id
      WHERE $4::bool AND (e.txid, e.change_seq) > ($1::xid8, $2::bigint) AND ${RELEASED('e')}
      ORDER BY e.txid, e.change_seq LIMIT $3::int)
     UNION ALL
     (SELECT 'evidence', w.txid::text, w.change_seq::text, w.txid, w.change_seq, w.claim_id, 0, w.probability, NULL,
             w.created_at, w.actor_id, coalesce(w.actor_label, 'system'), false, false,
             w.cause, w.supporting_items, w.supporting_origins, w.contradicting_items, w.contradicting_origins
      FROM evidence_weighings w
      WHERE $5::bool AND (w.txid, w.change_seq) > ($1::xid8, $2::bigint) AND ${RELEASED('w')}
      ORDER BY w.txid, w.change_seq LIMIT $3::int)
   ) changes
   ORDER BY tx, change_seq
   LIMIT $3::int`,
  CHANGE_COLUMNS,
);

/** Every change, for the head and the lag. */
const ALL_CHANGES = `(SELECT txid, change_seq, created_at FROM assessments UNION ALL SELECT txid, change_seq, created_at FROM estimates
  UNION ALL SELECT txid, change_seq, created_at FROM evidence_weighings)`;

const FEED_HEAD = defineQuery<[], { txid: string; seq: string }>(
  'feed_head',
  // Ordered by the xid8 and bigint themselves: their text would sort "999" after "3732".
  `SELECT tx::text AS txid, change_seq::text AS seq FROM (
     (SELECT a.txid AS tx, a.change_seq FROM assessments a WHERE ${RELEASED('a')} ORDER BY a.txid DESC, a.change_seq DESC LIMIT 1)
     UNION ALL
     (SELECT e.txid, e.change_seq FROM estimates e WHERE ${RELEASED('e')} ORDER BY e.txid DESC, e.change_seq DESC LIMIT 1)
     UNION ALL
     (SELECT w.txid, w.change_seq FROM evidence_weighings w WHERE ${RELEASED('w')} ORDER BY w.txid DESC, w.change_seq DESC LIMIT 1)
   ) heads ORDER BY tx DESC, change_seq DESC LIMIT 1`,
  { txid: true, seq: true },
);

const FEED_LAG = defineQuery<[], FeedLag>(
  'feed_lag',
  `SELECT count(*)::int AS "unreleasedChanges",
          coalesce(extract(epoch FROM greatest(now() - min(a.created_at), interval '0')), 0)::float8 AS "oldestUnreleasedSeconds",
          (SELECT coalesce(extract(epoch FROM now() - min(xact_start)), 0)::float8 FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND (backend_xid IS NOT NULL OR backend_xmin IS NOT NULL)) AS "oldestTransactionSeconds"
   FROM ${ALL_CHANGES} a WHERE NOT (${RELEASED('a')})`,
  { unreleasedChanges: true, oldestUnreleasedSeconds: true, oldestTransactionSeconds: true },
);

const CLAIM_LABELS = defineQuery<[claimIds: string[]], LabelledClaim>(
  'feed_claim_labels',
  `SELECT id, coalesce(topics, '{}') AS topics, coalesce(entities, '{}') AS entities FROM claims WHERE id = ANY($1::uuid[])`,
  { id: true, topics: true, entities: true },
);

/** What the confidence answers and the change feed ask of the database. */
@Injectable()
export class ConfidenceRepository {
  constructor(private readonly prisma: PrismaService) {}

  byIds(claimIds: string[]): Promise<ConfidenceRow[]> {
    return claimIds.length === 1 ? queryRows(this.prisma.pool, CONFIDENCE_BY_ID, [claimIds[0]]) : queryRows(this.prisma.pool, CONFIDENCE_BY_IDS, [claimIds]);
  }

  firstPage(view: PagedView, size: number): Promise<PagedClaim[]> {
    return queryRows(this.prisma.pool, FIRST_PAGE[view], [size]);
  }

  /** Several pages at once: the page after each of `starts`, `sizes` long; one list per start. */
  async pagesAfter(view: PagedView, starts: readonly PageStart[], sizes: readonly number[]): Promise<PagedClaim[][]> {
    const rows = await queryRows(this.prisma.pool, PAGES_AFTER[view], [starts.map((s) => s.updatedAt), starts.map((s) => s.id), [...sizes]]);
    const pages = starts.map((): PagedClaim[] => []);
    for (const { n, id, updatedAt } of rows) pages[n - 1].push({ id, updatedAt });
    return pages;
  }

  changesAfter(txid: string, seq: string, limit: number, include: { estimates: boolean; evidence: boolean }): Promise<ChangeRow[]> {
    return queryRows(this.prisma.pool, CHANGES_AFTER, [txid, seq, limit, include.estimates, include.evidence]);
  }

  /** The claims' topics and entities, for a stream that follows some claims only. */
  labels(claimIds: string[]): Promise<LabelledClaim[]> {
    return queryRows(this.prisma.pool, CLAIM_LABELS, [claimIds]);
  }

  async head(): Promise<{ txid: string; seq: string } | undefined> {
    return (await queryRows(this.prisma.pool, FEED_HEAD, []))[0];
  }

  async lag(): Promise<FeedLag> {
    return (await queryRows(this.prisma.pool, FEED_LAG, []))[0];
  }
}
