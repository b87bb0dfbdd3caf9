import { Injectable } from '@nestjs/common';
import { consensusSql, estimativeBandSql } from '../analysis/consensus.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import type { Tx } from '../database/transactions.js';
import type { Reliability } from '../generated/prisma/enums.js';

/** A resolved claim a track record scores: its life and its outcome. */
export interface ResolvedClaim {
  id: string;
  createdAt: Date;
  resolvedAt: Date;
  outcome: boolean;
}

/** One step of a forecaster's series on a claim: from `at` (epoch ms), `probability` (null: withdrawn). */
export interface StepRow {
  claimId: string;
  forecasterId: string;
  at: number;
  probability: number | null;
}

/** A forecaster's score on a claim, as stored; with the claim's outcome and topics when read back. */
export interface ScoreRow {
  claimId: string;
  forecaster: string;
  kind: string;
  brier: number;
  log: number;
  seconds: number;
  coverage: number;
  meanProbability: number;
  peer: number | null;
  versions: number;
}
export type ScoredRow = ScoreRow & { outcome: boolean; resolvedAt: Date; topics: string[] };

/** How often each source's (or originator's) items on resolved claims agreed with the outcome. */
export interface AgreementRow {
  id: string;
  name: string;
  reliability: Reliability | null;
  items: number;
  agreed: number;
  /** Grades an analyst dismissed as suggestions for it. */
  dismissed: Reliability[];
}

/** Resolved claims (true or false, not annulled, not archived) with a resolution after their creation. */
export const RESOLVED = `c.status IN ('resolved_true', 'resolved_false') AND c.archived_at IS NULL AND c.resolved_at > c.created_at`;

/** A time as epoch milliseconds: many steps parse faster as numbers than as dates. */
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** Claims $1 that are resolved, locked (in id order) so that two instances scoring them queue. */
const RESOLVED_OF = defineQuery<[claimIds: string[]], ResolvedClaim>(
  'track_records_resolved_of',
  `SELECT c.id, c.created_at AS "createdAt", c.resolved_at AS "resolvedAt", c.status = 'resolved_true' AS outcome
   FROM claims c WHERE c.id = ANY($1::uuid[]) AND ${RESOLVED} ORDER BY c.id FOR NO KEY UPDATE`,
  { id: true, createdAt: true, resolvedAt: true, outcome: true },
);

/** Resolved claims whose scores were never written (resolved before scores were kept, or behind the service's back). */
const UNSCORED = defineQuery<[], { id: string }>(
  'track_records_unscored',
  `SELECT c.id FROM claims c WHERE ${RESOLVED} AND c.scored_at IS NULL`,
  { id: true },
);

/** Each analyst's estimates on claims $1 before their resolution, in order. */
const ESTIMATE_STEPS = defineQuery<[claimIds: string[]], StepRow>(
  'track_records_estimate_steps',
  `SELECT e.claim_id AS "claimId", e.analyst_id::text AS "forecasterId", ${epochMs('e.created_at')} AS at, e.probability
   FROM estimates e JOIN claims c ON c.id = e.claim_id WHERE e.claim_id = ANY($1::uuid[]) AND e.created_at < c.resolved_at
   ORDER BY e.claim_id, e.analyst_id, e.version`,
  { claimId: true, forecasterId: true, at: true, probability: true },
);

/** The assessment of record over time on claims $1 ("the team's record"). */
const RECORD_STEPS = defineQuery<[claimIds: string[]], StepRow>(
  'track_records_record_steps',
  `SELECT a.claim_id AS "claimId", 'record' AS "forecasterId", ${epochMs('a.created_at')} AS at, a.probability
   FROM assessments a JOIN claims c ON c.id = a.claim_id WHERE a.claim_id = ANY($1::uuid[]) AND a.created_at < c.resolved_at
   ORDER BY a.claim_id, a.version`,
  { claimId: true, forecasterId: true, at: true, probability: true },
);

/** The evidence-weighted probability over time on claims $1, from the weighing history. */
const EVIDENCE_STEPS = defineQuery<[claimIds: string[]], StepRow>(
  'track_records_evidence_steps',
  `SELECT w.claim_id AS "claimId", 'evidence' AS "forecasterId", ${epochMs('w.created_at')} AS at, w.probability
   FROM evidence_weighings w JOIN claims c ON c.id = w.claim_id WHERE w.claim_id = ANY($1::uuid[]) AND w.created_at < c.resolved_at
   ORDER BY w.claim_id, w.created_at, w.id`,
  { claimId: true, forecasterId: true, at: true, probability: true },
);

/** Forgets claims $1's scores and stamps them scored now (their new scores follow: one statement could not do both). */
const FORGET_SCORES = defineQuery<[claimIds: string[]], Record<string, never>>(
  'track_records_forget_scores',
  `WITH gone AS (DELETE FROM forecast_scores WHERE claim_id = ANY($1::uuid[]))
   UPDATE claims SET scored_at = now() WHERE id = ANY($1::uuid[])`,
  {},
);

/** Stores scores (arrays by row). */
const INSERT_SCORES = defineQuery<
  [claimIds: string[], forecasters: string[], kinds: string[], briers: number[], logs: number[], seconds: number[], coverages: number[], means: number[], peers: (number | null)[], versions: number[]],
  Record<string, never>
>(
  'track_records_insert_scores',
  `INSERT INTO forecast_scores (claim_id, forecaster, kind, brier, log, seconds, coverage, mean_probability, peer, versions)
   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::int[])`,
  {},
);

/** Every stored score of a claim that is resolved now, with the claim's outcome and topics. */
const SCORES = defineQuery<[], ScoredRow>(
  'track_records_scores',
  `SELECT s.claim_id AS "claimId", s.forecaster, s.kind, s.brier, s.log, s.seconds, s.coverage, s.mean_probability AS "meanProbability", s.peer, s.versions,
          c.status = 'resolved_true' AS outcome, c.resolved_at AS "resolvedAt", coalesce(c.topics, '{}') AS topics
   FROM forecast_scores s JOIN claims c ON c.id = s.claim_id WHERE ${RESOLVED}`,
  { claimId: true, forecaster: true, kind: true, brier: true, log: true, seconds: true, coverage: true, meanProbability: true, peer: true, versions: true, outcome: true, resolvedAt: true, topics: true },
);

/**
 * Items in force at their claim's resolution (recorded by then, not archived by then), for or
 * against: "agreed" when supports and true, or contradicts and false.
 */
const ITEMS_ON_RESOLVED = `
  SELECT e.source_id, coalesce(o.merged_into_id, o.id) AS originator_id,
         (e.stance = 'supports') = (c.status = 'resolved_true') AS agreed
  FROM evidence e JOIN claims c ON c.id = e.claim_id LEFT JOIN originators o ON o.id = e.originator_id
  WHERE ${RESOLVED} AND e.stance IN ('supports', 'contradicts')
    AND e.created_at <= c.resolved_at AND (e.archived_at IS NULL OR e.archived_at > c.resolved_at)`;

const SOURCE_AGREEMENT = defineQuery<[], AgreementRow>(
  'track_records_source_agreement',
  `SELECT s.id, s.title AS name, s.reliability::text AS reliability, count(*)::int AS items, count(*) FILTER (WHERE i.agreed)::int AS agreed,
          ARRAY(SELECT d.reliability::text FROM grade_suggestion_dismissals d WHERE d.entity_type = 'source' AND d.entity_id = s.id) AS dismissed
   FROM (${ITEMS_ON_RESOLVED}) i JOIN sources s ON s.id = i.source_id
   GROUP BY s.id ORDER BY count(*) DESC, s.id`,
  { id: true, name: true, reliability: true, items: true, agreed: true, dismissed: true },
);

const ORIGINATOR_AGREEMENT = defineQuery<[], AgreementRow>(
  'track_records_originator_agreement',
  `SELECT o.id, o.name, o.reliability::text AS reliability, count(*)::int AS items, count(*) FILTER (WHERE i.agreed)::int AS agreed,
          ARRAY(SELECT d.reliability::text FROM grade_suggestion_dismissals d WHERE d.entity_type = 'originator' AND d.entity_id = o.id) AS dismissed
   FROM (${ITEMS_ON_RESOLVED}) i JOIN originators o ON o.id = i.originator_id
   GROUP BY o.id ORDER BY count(*) DESC, o.id`,
  { id: true, name: true, reliability: true, items: true, agreed: true, dismissed: true },
);

/** Sets analysts' consensus weights (arrays by analyst; everyone else weighs 1); answers those whose weight changed. */
const SET_WEIGHTS = defineQuery<[ids: string[], weights: number[]], { id: string }>(
  'track_records_set_weights',
  `WITH wanted AS (SELECT * FROM unnest($1::uuid[], $2::float8[]) AS w(id, weight)),
   target AS (SELECT u.id, coalesce(w.weight, 1) AS weight FROM users u LEFT JOIN wanted w ON w.id = u.id
              WHERE u.consensus_weight IS DISTINCT FROM coalesce(w.weight, 1))
   UPDATE users u SET consensus_weight = t.weight FROM target t WHERE u.id = t.id RETURNING u.id::text AS id`,
  { id: true },
);

/** Claims with estimates by analysts $1, locked in id order (as every writer of team columns locks them). */
const LOCK_ESTIMATED = defineQuery<[analystIds: string[]], { id: string }>(
  'track_records_lock_estimated',
  `SELECT id FROM claims WHERE id IN (SELECT DISTINCT claim_id FROM estimates WHERE analyst_id = ANY($1::uuid[])) ORDER BY id FOR NO KEY UPDATE`,
  { id: true },
);

/** Recomputes claims $1's consensus and its gap to the record with the analysts' weights now ($2 the extremizing factor); answers those that moved. */
const REFRESH_TEAMS = defineQuery<[claimIds: string[], extremizing: number], { id: string }>(
  'track_records_refresh_teams',
  `WITH latest AS (
     SELECT DISTINCT ON (e.claim_id, e.analyst_id) e.claim_id, e.probability, e.withdrawn, u.consensus_weight AS weight
     FROM estimates e JOIN users u ON u.id = e.analyst_id WHERE e.claim_id = ANY($1::uuid[]) ORDER BY e.claim_id, e.analyst_id, e.version DESC
   ), team AS (
     SELECT claim_id, ${consensusSql('probability', 'weight', '$2::float8')} AS probability FROM latest WHERE NOT withdrawn GROUP BY claim_id
   )
   UPDATE claims c SET team_probability = t.probability, updated_at = now(),
     team_gap = abs((${estimativeBandSql('c.current_probability')}) - (${estimativeBandSql('t.probability')}))
   FROM team t WHERE c.id = t.claim_id AND c.team_probability IS DISTINCT FROM t.probability
   RETURNING c.id::text AS id`,
  { id: true },
);

const ANALYSTS = defineQuery<[ids: string[]], { id: string; name: string }>(
  'track_records_analysts',
  `SELECT id::text, name FROM users WHERE id::text = ANY($1::text[])`,
  { id: true, name: true },
);

/**
 * What track records read and write: forecasters' series on resolved claims, scored when a claim
 * is resolved (in that transaction, `db` a transaction) and read back together.
 */
@Injectable()
export class TrackRecordsRepository {
  constructor(private readonly prisma: PrismaService) {}

  resolvedOf(db: Tx, claimIds: string[]): Promise<ResolvedClaim[]> {
    return db.$queryRawUnsafe(RESOLVED_OF.text, claimIds);
  }

  async unscored(): Promise<string[]> {
    return (await queryRows(this.prisma.pool, UNSCORED, [])).map((row) => row.id);
  }

  async steps(db: Tx, claimIds: string[]): Promise<{ estimates: StepRow[]; record: StepRow[]; evidence: StepRow[] }> {
    const [estimates, record, evidence] = [
      await db.$queryRawUnsafe<StepRow[]>(ESTIMATE_STEPS.text, claimIds),
      await db.$queryRawUnsafe<StepRow[]>(RECORD_STEPS.text, claimIds),
      await db.$queryRawUnsafe<StepRow[]>(EVIDENCE_STEPS.text, claimIds),
    ];
    return { estimates, record, evidence };
  }

  /** Replaces the claims' scores with `rows`. */
  async writeScores(db: Tx, claimIds: string[], rows: ScoreRow[]): Promise<void> {
    const column = <K extends keyof ScoreRow>(key: K) => rows.map((row) => row[key]);
    await db.$executeRawUnsafe(FORGET_SCORES.text, claimIds);
    await db.$executeRawUnsafe(
      INSERT_SCORES.text,
      column('claimId'), column('forecaster'), column('kind'), column('brier'), column('log'), column('seconds'),
      column('coverage'), column('meanProbability'), column('peer'), column('versions'),
    );
  }

  scores(): Promise<ScoredRow[]> {
    return queryRows(this.prisma.pool, SCORES, []);
  }

  sourceAgreement(): Promise<AgreementRow[]> {
    return queryRows(this.prisma.pool, SOURCE_AGREEMENT, []);
  }

  originatorAgreement(): Promise<AgreementRow[]> {
    return queryRows(this.prisma.pool, ORIGINATOR_AGREEMENT, []);
  }

  /** Stores analysts' weights; answers those that changed. */
  async setWeights(db: Tx, weights: Map<string, number>): Promise<string[]> {
    return (await db.$queryRawUnsafe<{ id: string }[]>(SET_WEIGHTS.text, [...weights.keys()], [...weights.values()])).map((row) => row.id);
  }

  /** Recomputes the consensus of every claim the analysts estimated (claims locked first); answers the claims whose consensus moved. */
  async refreshTeams(db: Tx, analystIds: string[], extremizing: number): Promise<string[]> {
    const claims = (await db.$queryRawUnsafe<{ id: string }[]>(LOCK_ESTIMATED.text, analystIds)).map((row) => row.id);
    if (claims.length === 0) return [];
    return (await db.$queryRawUnsafe<{ id: string }[]>(REFRESH_TEAMS.text, claims, extremizing)).map((row) => row.id);
  }

  analysts(ids: string[]): Promise<{ id: string; name: string }[]> {
    return queryRows(this.prisma.pool, ANALYSTS, [ids]);
  }
}
