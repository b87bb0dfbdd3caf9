import { Injectable } from '@nestjs/common';
import { consensusSql, estimativeBandSql } from '../analysis/consensus.js';
import { CHANGES_CHANNEL, changePayloadSql } from '../database/changes.js';
import { closedStatusSql } from '../claims/dto/create-claim.dto.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, isoText, queryRows } from '../database/query.js';
import type { EstimateResponse } from './dto/estimate.response.js';

/**
 * For each estimate asked for, the statement's verdict: written, or why not (the claim is
 * missing, archived or resolved; the analyst's chain moved past its base version (stale);
 * there is no estimate to withdraw; or a cited item is not current evidence of the claim).
 */
export type EstimateVerdict = 'written' | 'missing' | 'archived' | 'resolved' | 'stale' | 'nothing' | 'evidence';

export interface EstimateOutcome {
  verdict: EstimateVerdict;
  /** The analyst's chain on the claim after the statement: its latest version (0: none). */
  currentVersion: number | null;
  /** Set (to the empty result of pg_notify) when the estimate was written and announced. */
  announced: string | null;
}

/** A new version of an analyst's chain, as CREATE_ESTIMATES takes it. */
export interface NewEstimate {
  claimId: string;
  analystId: string;
  baseVersion: number;
  version: number;
  id: string;
  probability: number | null;
  confidence: string | null;
  rationale: string;
  withdrawn: boolean;
  at: Date;
  actorLabel: string;
  /** The audit event's `after`. */
  after: EstimateResponse;
  evidenceIds: string[];
}

type CreateParams = [
  claimIds: string[], analystIds: string[], baseVersions: number[], versions: number[], ids: string[], probabilities: (number | null)[],
  confidences: (string | null)[], rationales: string[], withdrawn: boolean[], times: Date[], actorLabels: string[], afters: string[],
  citedBy: number[], citedEvidence: string[], extremizing: number,
];

/**
 * New estimates, at most one per claim, in one statement (its claims locked by the statement
 * before, see beginLocking): check each against its analyst's chain, insert those that pass
 * with their evidence links and audit events, keep each claim's team columns (consensus of
 * the analysts' latest estimates, $15 the extremizing factor) and announce the change.
 */
const CREATE_ESTIMATES = defineQuery<CreateParams, EstimateOutcome>(
  'estimates_create',
  `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::uuid[], $6::float8[], $7::text[], $8::text[], $9::bool[], $10::timestamptz[], $11::text[], $12::text[])
      WITH ORDINALITY AS i(claim_id, analyst_id, base_version, version, id, probability, confidence, rationale, withdrawn, at, actor_label, after, n)
  ), cited AS (
    SELECT * FROM unnest($13::int[], $14::uuid[]) AS c(n, evidence_id)
  ), locked AS (
    SELECT id, archived_at, status FROM claims WHERE id IN (SELECT claim_id FROM input) ORDER BY id FOR NO KEY UPDATE
  ), chains AS (
    SELECT i.n, latest.version, latest.withdrawn
    FROM input i LEFT JOIN LATERAL (
      SELECT e.version, e.withdrawn FROM estimates e WHERE e.claim_id = i.claim_id AND e.analyst_id = i.analyst_id ORDER BY e.version DESC LIMIT 1
    ) latest ON true
  ), checked AS (
    SELECT i.n, coalesce(ch.version, 0) AS current_version,
           CASE WHEN l.archived_at IS NOT NULL THEN 'archived'
                WHEN ${closedStatusSql('l.status')} THEN 'resolved'
                WHEN coalesce(ch.version, 0) <> i.base_version THEN 'stale'
                WHEN i.withdrawn AND (ch.version IS NULL OR ch.withdrawn) THEN 'nothing'
                WHEN EXISTS (SELECT 1 FROM cited c WHERE c.n = i.n AND NOT EXISTS (
                  SELECT 1 FROM evidence e WHERE e.id = c.evidence_id AND e.claim_id = i.claim_id AND e.archived_at IS NULL)) THEN 'evidence'
                ELSE 'written' END AS verdict
    FROM input i JOIN locked l ON l.id = i.claim_id JOIN chains ch ON ch.n = i.n
  ), inserted AS (
    INSERT INTO estimates (id, claim_id, analyst_id, version, probability, confidence, rationale, withdrawn, created_at)
    SELECT i.id, i.claim_id, i.analyst_id, i.version, i.probability, i.confidence::"AnalyticConfidence", i.rationale, i.withdrawn, i.at
    FROM input i JOIN checked ch ON ch.n = i.n
    WHERE ch.verdict = 'written'
    RETURNING id
  ), written AS (
    SELECT input.* FROM input JOIN inserted USING (id)
  ), linked AS (
    INSERT INTO estimate_evidence (estimate_id, evidence_id) SELECT w.id, c.evidence_id FROM written w JOIN cited c ON c.n = w.n
  ), audited AS (
    INSERT INTO audit_events (at, actor_id, actor_label, action, entity_type, entity_id, claim_id, after)
    SELECT w.at, w.analyst_id, w.actor_label, CASE WHEN w.withdrawn THEN 'estimate.withdraw' ELSE 'estimate.create' END, 'estimate', w.id, w.claim_id, w.after::jsonb
    FROM written w
  ), pool AS (
    -- Each analyst's latest estimate after the write, with their weight. The statement cannot see its own inserts: the others' as stored, and the writer's new one.
    SELECT w.claim_id, p.probability, p.weight FROM written w CROSS JOIN LATERAL (
      SELECT latest.probability, u.consensus_weight AS weight FROM (
        SELECT DISTINCT ON (e.analyst_id) e.analyst_id, e.probability, e.withdrawn FROM estimates e
        WHERE e.claim_id = w.claim_id AND e.analyst_id <> w.analyst_id ORDER BY e.analyst_id, e.version DESC
      ) latest JOIN users u ON u.id = latest.analyst_id WHERE NOT latest.withdrawn
      UNION ALL SELECT w.probability, (SELECT consensus_weight FROM users WHERE id = w.analyst_id) WHERE NOT w.withdrawn
    ) p
  ), team AS (
    SELECT w.claim_id, w.at, count(p.probability)::int AS analysts, ${consensusSql('p.probability', 'p.weight', '$15::float8')} AS probability,
           max(p.probability) AS highest, min(p.probability) AS lowest
    FROM written w LEFT JOIN pool p USING (claim_id) GROUP BY w.claim_id, w.at
  ), teamed AS (
    UPDATE claims SET team_probability = t.probability, team_analysts = t.analysts, updated_at = greatest(claims.updated_at, t.at),
      team_band_span = (${estimativeBandSql('t.highest')}) - (${estimativeBandSql('t.lowest')}),
      team_gap = abs((${estimativeBandSql('claims.current_probability')}) - (${estimativeBandSql('t.probability')}))
    FROM team t WHERE claims.id = t.claim_id
    RETURNING claims.id, pg_notify('${CHANGES_CHANNEL}', ${changePayloadSql('claims', 'claims.id')})::text AS announced
  )
  SELECT coalesce(ch.verdict, 'missing') AS verdict, ch.current_version AS "currentVersion", t.announced
  FROM input i LEFT JOIN checked ch ON ch.n = i.n LEFT JOIN written w ON w.n = i.n LEFT JOIN teamed t ON t.id = w.claim_id
  ORDER BY i.n`,
  { verdict: true, currentVersion: true, announced: true },
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opens the transaction and locks the claims (in id order, so that concurrent writers cannot
 * deadlock), in one round trip: the write's statement then starts after any other writer's
 * commit and sees its estimates. Ids are checked UUIDs, written into the text because the
 * simple protocol that carries two statements at once takes no parameters.
 */
function beginLocking(claimIds: string[]): string {
  if (!claimIds.every((id) => UUID.test(id))) throw new Error('claim ids must be UUIDs');
  return `BEGIN; SELECT id FROM claims WHERE id IN (${claimIds.map((id) => `'${id}'`).join(', ')}) ORDER BY id FOR NO KEY UPDATE`;
}

/** An estimate (aliased `e`) as its response, but for the estimative term, which is derived. */
const ESTIMATE_COLUMNS = `
  e.id, e.claim_id AS "claimId", e.analyst_id AS "analystId", u.name AS analyst, e.version, e.probability, e.confidence::text AS confidence,
  e.rationale, e.withdrawn, ARRAY(SELECT ee.evidence_id::text FROM estimate_evidence ee WHERE ee.estimate_id = e.id ORDER BY ee.evidence_id) AS "evidenceIds",
  e.created_at AS "createdAt"`;
export type EstimateRow = Omit<EstimateResponse, 'estimativeTerm'>;
const ESTIMATE_ROW = {
  id: true, claimId: true, analystId: true, analyst: true, version: true, probability: true, confidence: true, rationale: true, withdrawn: true,
  evidenceIds: true, createdAt: true,
} as const;

/** Every version of every analyst's chain on a claim made by $2 (null: now), by analyst then version. */
const CHAINS = defineQuery<[claimId: string, asOf: Date | null], EstimateRow>(
  'estimate_chains',
  `SELECT ${ESTIMATE_COLUMNS} FROM estimates e JOIN users u ON u.id = e.analyst_id
   WHERE e.claim_id = $1 AND ($2::timestamptz IS NULL OR e.created_at <= $2) ORDER BY u.name, e.analyst_id, e.version`,
  ESTIMATE_ROW,
);

/** One version of one analyst's chain. */
const ESTIMATE = defineQuery<[claimId: string, analystId: string, version: number], EstimateRow>(
  'estimate_version',
  `SELECT ${ESTIMATE_COLUMNS} FROM estimates e JOIN users u ON u.id = e.analyst_id WHERE e.claim_id = $1 AND e.analyst_id = $2 AND e.version = $3`,
  ESTIMATE_ROW,
);

/** The claims among $2 on which analyst $1 has recorded an estimate (withdrawn or not): blind claims they may see into. */
const ESTIMATED_BY = defineQuery<[analystId: string, claimIds: string[]], { claimId: string }>(
  'claims_estimated_by',
  `SELECT DISTINCT claim_id AS "claimId" FROM estimates WHERE analyst_id = $1 AND claim_id = ANY($2::uuid[])`,
  { claimId: true },
);

/** Whether claim `c` is blind: by its own flag, or one of its topics. */
export const BLIND_SQL = (c: string) => `(${c}.blind OR EXISTS (SELECT 1 FROM blind_topics b WHERE b.topic = ANY(${c}.topics)))`;

/** The claims among $1 that are blind. */
const BLIND_CLAIMS = defineQuery<[claimIds: string[]], { id: string }>('claims_blind', `SELECT c.id FROM claims c WHERE c.id = ANY($1::uuid[]) AND ${BLIND_SQL('c')}`, { id: true });

/** Each analyst's latest estimate (made by `asOf`, when that names a timestamp parameter that is not null), withdrawn ones left out. */
export interface LatestEstimate {
  analystId: string;
  analyst: string;
  version: number;
  probability: number;
  confidence: string;
  estimatedAt: string;
  /** The analyst's weight in the consensus (users.consensus_weight). */
  weight: number;
}
export const LATEST_ESTIMATES_SQL = (claim: string, asOf: string | null) => `
  SELECT latest.analyst_id AS "analystId", u.name AS analyst, latest.version, latest.probability, latest.confidence::text AS confidence,
         ${isoText('latest.created_at')} AS "estimatedAt", u.consensus_weight AS weight
  FROM (SELECT DISTINCT ON (e.analyst_id) e.analyst_id, e.version, e.probability, e.confidence, e.withdrawn, e.created_at FROM estimates e
        WHERE e.claim_id = ${claim}${asOf ? ` AND (${asOf}::timestamptz IS NULL OR e.created_at <= ${asOf})` : ''} ORDER BY e.analyst_id, e.version DESC) latest
  JOIN users u ON u.id = latest.analyst_id
  WHERE NOT latest.withdrawn
  ORDER BY u.name, latest.analyst_id`;
/** Each analyst's latest estimate on claim `claim` now, withdrawn ones left out, as a JSON array of { analystId, probability, weight }: what the consensus needs. */
export const LATEST_PROBABILITIES_SQL = (claim: string) => `
  (SELECT coalesce(json_agg(json_build_object('analystId', latest.analyst_id, 'probability', latest.probability, 'weight', u.consensus_weight)), '[]')
   FROM (SELECT DISTINCT ON (e.analyst_id) e.analyst_id, e.probability, e.withdrawn FROM estimates e
         WHERE e.claim_id = ${claim} ORDER BY e.analyst_id, e.version DESC) latest
   JOIN users u ON u.id = latest.analyst_id
   WHERE NOT latest.withdrawn)`;

const LATEST_AT = defineQuery<[claimId: string, asOf: Date], LatestEstimate>('estimates_latest_at', LATEST_ESTIMATES_SQL('$1', '$2'), {
  analystId: true, analyst: true, version: true, probability: true, confidence: true, estimatedAt: true, weight: true,
});

@Injectable()
export class EstimatesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Writes the estimates (distinct claims) in one transaction: the claims locked first, then one statement. */
  async create(estimates: NewEstimate[], extremizing: number): Promise<EstimateOutcome[]> {
    const client = await this.prisma.pool.connect();
    try {
      await client.query(beginLocking(estimates.map((e) => e.claimId)));
      const cited = estimates.flatMap((e, i) => e.evidenceIds.map((id) => [i + 1, id] as const));
      const outcomes = await queryRows(client, CREATE_ESTIMATES, [
        estimates.map((e) => e.claimId), estimates.map((e) => e.analystId), estimates.map((e) => e.baseVersion), estimates.map((e) => e.version),
        estimates.map((e) => e.id), estimates.map((e) => e.probability), estimates.map((e) => e.confidence), estimates.map((e) => e.rationale),
        estimates.map((e) => e.withdrawn), estimates.map((e) => e.at), estimates.map((e) => e.actorLabel), estimates.map((e) => JSON.stringify(e.after)),
        cited.map(([n]) => n), cited.map(([, id]) => id), extremizing,
      ]);
      await client.query('COMMIT');
      return outcomes;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  chains(claimId: string, asOf?: Date): Promise<EstimateRow[]> {
    return queryRows(this.prisma.pool, CHAINS, [claimId, asOf ?? null]);
  }

  async version(claimId: string, analystId: string, version: number): Promise<EstimateRow | undefined> {
    return (await queryRows(this.prisma.pool, ESTIMATE, [claimId, analystId, version]))[0];
  }

  async blindClaims(claimIds: string[]): Promise<Set<string>> {
    return new Set((await queryRows(this.prisma.pool, BLIND_CLAIMS, [claimIds])).map((row) => row.id));
  }

  async estimatedBy(analystId: string, claimIds: string[]): Promise<Set<string>> {
    return new Set((await queryRows(this.prisma.pool, ESTIMATED_BY, [analystId, claimIds])).map((row) => row.claimId));
  }

  latestAt(claimId: string, asOf: Date): Promise<LatestEstimate[]> {
    return queryRows(this.prisma.pool, LATEST_AT, [claimId, asOf]);
  }
}
