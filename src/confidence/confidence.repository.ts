import { Injectable } from '@nestjs/common';
import { EVIDENCE_LOG_ODDS_SQL } from '../analysis/evidence-weight.js';
import { EVIDENCE_IN_FORCE } from '../claims/claims.repository.js';
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
  contradictingEvidence: number;
  priorProbability: number | null;
  evidenceLogOdds: number;
  /** Blind first, by the claim's own flag or one of its topics. */
  blind: boolean;
  /** Each analyst's latest estimate (withdrawn ones left out). */
  estimates: Pick<LatestEstimate, 'analystId' | 'probability'>[];
}

/** A change in the feed: a new assessment version, or (kind "estimate") a new version of an analyst's estimate. */
export interface ChangeRow {
  kind: 'assessment' | 'estimate';
  txid: string;
  seq: string;
  claimId: string;
  version: number;
  /** Null for an estimate that withdraws, or of a blind claim (its values are not broadcast). */
  probability: number | null;
  confidence: AnalyticConfidence | null;
  at: Date;
  actorId: string;
  actor: string;
  withdrawn: boolean;
  blind: boolean;
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
  assessedById: true, assessedBy: true, supportingEvidence: true, contradictingEvidence: true, priorProbability: true, evidenceLogOdds: true,
  blind: true, estimates: true,
} as const;
const CHANGE_COLUMNS = {
  kind: true, txid: true, seq: true, claimId: true, version: true, probability: true, confidence: true, at: true, actorId: true, actor: true, withdrawn: true, blind: true,
} as const;

/** Current confidence per claim: the API clients' hot read, also used by the benchmark's baseline. */
const CONFIDENCE_SELECT = `
  SELECT c.id AS "claimId", c.statement, c.status::text AS status, c.updated_at AS "updatedAt",
         c.current_version AS version, a.probability, a.confidence::text AS confidence,
         a.created_at AS "assessedAt", a.created_by_id AS "assessedById", u.name AS "assessedBy",
         (SELECT count(*)::int FROM evidence e WHERE e.claim_id = c.id AND e.archived_at IS NULL AND e.stance = 'supports') AS "supportingEvidence",
         (SELECT count(*)::int FROM evidence e WHERE e.claim_id = c.id AND e.archived_at IS NULL AND e.stance = 'contradicts') AS "contradictingEvidence",
         c.prior_probability AS "priorProbability",
         (SELECT ${EVIDENCE_LOG_ODDS_SQL} FROM evidence e JOIN sources s ON s.id = e.source_id
          WHERE e.claim_id = c.id AND e.archived_at IS NULL) AS "evidenceLogOdds",
         ${BLIND_SQL('c')} AS blind,
         ${LATEST_PROBABILITIES_SQL('c.id')} AS estimates
  FROM claims c
  LEFT JOIN assessments a ON a.claim_id = c.id AND a.version = c.current_version
  LEFT JOIN users u ON u.id = a.created_by_id`;
// Prepared once per connection: API clients call these far more than anything else.
export const CONFIDENCE_BY_ID = defineQuery<[claimId: string], ConfidenceRow>('confidence_by_id', `${CONFIDENCE_SELECT} WHERE c.id = $1`, CONFIDENCE_COLUMNS);
const CONFIDENCE_BY_IDS = defineQuery<[claimIds: string[]], ConfidenceRow>('confidence_by_ids', `${CONFIDENCE_SELECT} WHERE c.id = ANY($1::uuid[])`, CONFIDENCE_COLUMNS);

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

/** The evidence log-odds of claim $1 from the evidence in force at $2 (weighted by the sources' current grades). */
const EVIDENCE_LOG_ODDS_AT = defineQuery<[claimId: string, asOf: Date], { logOdds: number }>(
  'confidence_evidence_log_odds_at',
  // Each source with the grade it had then: the newest grade its audit trail records by $2.
  `SELECT ${EVIDENCE_LOG_ODDS_SQL} AS "logOdds" FROM evidence e
   CROSS JOIN LATERAL (SELECT coalesce(
     (SELECT g.after->>'reliability' FROM audit_events g
      WHERE g.entity_id = e.source_id AND g.entity_type = 'source' AND g.at <= $2 AND g.after ? 'reliability' ORDER BY g.id DESC LIMIT 1),
     (SELECT src.reliability::text FROM sources src WHERE src.id = e.source_id)) AS reliability) s
   WHERE e.claim_id = $1 AND ${EVIDENCE_IN_FORCE}`,
  { logOdds: true },
);

/**
 * The change feed's release rule: a change (by its transaction id) is released once every
 * older transaction in the PostgreSQL cluster has ended, so that none commits behind a cursor.
 */
const RELEASED = (row: string) => `${row}.txid < pg_snapshot_xmin(pg_current_snapshot())`;

/**
 * The changes after ($1, $2), oldest first: assessment versions, and with $4 estimate versions
 * too (one sequence numbers both, so they interleave in commit order).
 */
const CHANGES_AFTER = defineQuery<[txid: string, seq: string, limit: number, estimates: boolean], ChangeRow>(
  'feed_changes_after',
  `SELECT kind, txid, seq, "claimId", version, probability, confidence, at, "actorId", actor, withdrawn, blind FROM (
     (SELECT 'assessment' AS kind, a.txid::text AS txid, a.change_seq::text AS seq, a.txid AS tx, a.change_seq, a.claim_id AS "claimId", a.version,
             a.probability, a.confidence::text AS confidence, a.created_at AS at, a.created_by_id AS "actorId", u.name AS actor, false AS withdrawn, false AS blind
      FROM assessments a JOIN users u ON u.id = a.created_by_id
      WHERE (a.txid, a.change_seq) > ($1::xid8, $2::bigint) AND ${RELEASED('a')}
      ORDER BY a.txid, a.change_seq LIMIT $3::int)
     UNION ALL
     (SELECT 'estimate', e.txid::text, e.change_seq::text, e.txid, e.change_seq, e.claim_id, e.version,
             CASE WHEN ${BLIND_SQL('c')} THEN NULL ELSE e.probability END, CASE WHEN ${BLIND_SQL('c')} THEN NULL ELSE e.confidence::text END,
             e.created_at, e.analyst_id, u.name, e.withdrawn, ${BLIND_SQL('c')}
      FROM estimates e JOIN users u ON u.id = e.analyst_id JOIN claims c ON c.id = e.claim_id
      WHERE $4::bool AND (e.txid, e.change_seq) > ($1::xid8, $2::bigint) AND ${RELEASED('e')}
      ORDER BY e.txid, e.change_seq LIMIT $3::int)
   ) changes
   ORDER BY tx, change_seq
   LIMIT $3::int`,
  CHANGE_COLUMNS,
);

/** Every change, for the head and the lag. */
const ALL_CHANGES = `(SELECT txid, change_seq, created_at FROM assessments UNION ALL SELECT txid, change_seq, created_at FROM estimates)`;

const FEED_HEAD = defineQuery<[], { txid: string; seq: string }>(
  'feed_head',
  // Ordered by the xid8 and bigint themselves: their text would sort "999" after "3732".
  `SELECT tx::text AS txid, change_seq::text AS seq FROM (
     (SELECT a.txid AS tx, a.change_seq FROM assessments a WHERE ${RELEASED('a')} ORDER BY a.txid DESC, a.change_seq DESC LIMIT 1)
     UNION ALL
     (SELECT e.txid, e.change_seq FROM estimates e WHERE ${RELEASED('e')} ORDER BY e.txid DESC, e.change_seq DESC LIMIT 1)
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

/** What the confidence answers and the change feed ask of the database. */
@Injectable()
export class ConfidenceRepository {
  constructor(private readonly prisma: PrismaService) {}

  async byId(claimId: string): Promise<ConfidenceRow | undefined> {
    return (await queryRows(this.prisma.pool, CONFIDENCE_BY_ID, [claimId]))[0];
  }

  byIds(claimIds: string[]): Promise<ConfidenceRow[]> {
    return queryRows(this.prisma.pool, CONFIDENCE_BY_IDS, [claimIds]);
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

  async evidenceLogOddsAt(claimId: string, asOf: Date): Promise<number> {
    return (await queryRows(this.prisma.pool, EVIDENCE_LOG_ODDS_AT, [claimId, asOf]))[0]?.logOdds ?? 0;
  }

  changesAfter(txid: string, seq: string, limit: number, estimates: boolean): Promise<ChangeRow[]> {
    return queryRows(this.prisma.pool, CHANGES_AFTER, [txid, seq, limit, estimates]);
  }

  async head(): Promise<{ txid: string; seq: string } | undefined> {
    return (await queryRows(this.prisma.pool, FEED_HEAD, []))[0];
  }

  async lag(): Promise<FeedLag> {
    return (await queryRows(this.prisma.pool, FEED_LAG, []))[0];
  }
}
