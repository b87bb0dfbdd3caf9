import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import type { Reliability } from '../generated/prisma/enums.js';

/** A resolved claim a track record scores: its life, its outcome, its topics. */
export interface ResolvedClaim {
  id: string;
  createdAt: Date;
  resolvedAt: Date;
  outcome: boolean;
  topics: string[];
}

/** One step of a forecaster's series on a claim: from `at` (epoch ms), `probability` (null: withdrawn). */
export interface StepRow {
  claimId: string;
  forecasterId: string;
  at: number;
  probability: number | null;
}

/** A time as epoch milliseconds: half a million steps parse faster as numbers than as dates. */
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** Resolved claims (true or false, not annulled, not archived) with a resolution after their creation. */
const RESOLVED = `c.status IN ('resolved_true', 'resolved_false') AND c.archived_at IS NULL AND c.resolved_at > c.created_at`;

const RESOLVED_CLAIMS = defineQuery<[], ResolvedClaim>(
  'track_records_resolved_claims',
  `SELECT c.id, c.created_at AS "createdAt", c.resolved_at AS "resolvedAt", c.status = 'resolved_true' AS outcome, coalesce(c.topics, '{}') AS topics
   FROM claims c WHERE ${RESOLVED}`,
  { id: true, createdAt: true, resolvedAt: true, outcome: true, topics: true },
);

/** Each analyst's estimates on resolved claims, in order (the forecaster is the analyst). */
const ESTIMATE_STEPS = defineQuery<[], StepRow>(
  'track_records_estimate_steps',
  `SELECT e.claim_id AS "claimId", e.analyst_id AS "forecasterId", ${epochMs('e.created_at')} AS at, e.probability
   FROM estimates e JOIN claims c ON c.id = e.claim_id WHERE ${RESOLVED} AND e.created_at < c.resolved_at
   ORDER BY e.claim_id, e.analyst_id, e.version`,
  { claimId: true, forecasterId: true, at: true, probability: true },
);

/** The assessment of record over time (the forecaster is the claim itself: "the team's record"). */
const RECORD_STEPS = defineQuery<[], StepRow>(
  'track_records_record_steps',
  `SELECT a.claim_id AS "claimId", 'record' AS "forecasterId", ${epochMs('a.created_at')} AS at, a.probability
   FROM assessments a JOIN claims c ON c.id = a.claim_id WHERE ${RESOLVED} AND a.created_at < c.resolved_at
   ORDER BY a.claim_id, a.version`,
  { claimId: true, forecasterId: true, at: true, probability: true },
);

/** The evidence-weighted probability over time, from the weighing history. */
const EVIDENCE_STEPS = defineQuery<[], StepRow>(
  'track_records_evidence_steps',
  `SELECT w.claim_id AS "claimId", 'evidence' AS "forecasterId", ${epochMs('w.created_at')} AS at, w.probability
   FROM evidence_weighings w JOIN claims c ON c.id = w.claim_id WHERE ${RESOLVED} AND w.created_at < c.resolved_at
   ORDER BY w.claim_id, w.created_at, w.id`,
  { claimId: true, forecasterId: true, at: true, probability: true },
);

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

const ANALYSTS = defineQuery<[ids: string[]], { id: string; name: string }>(
  'track_records_analysts',
  `SELECT id, name FROM users WHERE id = ANY($1::uuid[])`,
  { id: true, name: true },
);

/** What track records read: resolved claims and every forecaster's series on them. */
@Injectable()
export class TrackRecordsRepository {
  constructor(private readonly prisma: PrismaService) {}

  resolvedClaims(): Promise<ResolvedClaim[]> {
    return queryRows(this.prisma.pool, RESOLVED_CLAIMS, []);
  }

  estimateSteps(): Promise<StepRow[]> {
    return queryRows(this.prisma.pool, ESTIMATE_STEPS, []);
  }

  recordSteps(): Promise<StepRow[]> {
    return queryRows(this.prisma.pool, RECORD_STEPS, []);
  }

  evidenceSteps(): Promise<StepRow[]> {
    return queryRows(this.prisma.pool, EVIDENCE_STEPS, []);
  }

  sourceAgreement(): Promise<AgreementRow[]> {
    return queryRows(this.prisma.pool, SOURCE_AGREEMENT, []);
  }

  originatorAgreement(): Promise<AgreementRow[]> {
    return queryRows(this.prisma.pool, ORIGINATOR_AGREEMENT, []);
  }

  analysts(ids: string[]): Promise<{ id: string; name: string }[]> {
    return queryRows(this.prisma.pool, ANALYSTS, [ids]);
  }
}
