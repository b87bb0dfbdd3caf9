import { Injectable } from '@nestjs/common';
import { estimativeBandSql } from '../analysis/consensus.js';
import { estimativeTerm } from '../vocabulary/estimative.js';
import { CHANGES_CHANNEL, changePayloadSql } from '../database/changes.js';
import { closedStatusSql } from '../claims/dto/create-claim.dto.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import type { AssessmentResponse } from './dto/assessment.response.js';

/** An assessment version as SQL reads it: the response but for the estimative term, which is derived. */
export type AssessmentSqlRow = Omit<AssessmentResponse, 'estimativeTerm'>;

export const ASSESSMENT_ROW = {
  id: true, claimId: true, version: true, probability: true, confidence: true, rationale: true, evidenceIds: true,
  createdById: true, createdByName: true, createdAt: true,
} as const;

/** An assessment version (aliased `a`) as an AssessmentSqlRow. */
export const ASSESSMENT_COLUMNS = `
  a.id, a.claim_id AS "claimId", a.version, a.probability, a.confidence::text AS confidence, a.rationale,
  ARRAY(SELECT ae.evidence_id::text FROM assessment_evidence ae WHERE ae.assessment_id = a.id ORDER BY ae.evidence_id) AS "evidenceIds",
  a.created_by_id AS "createdById", (SELECT u.name FROM users u WHERE u.id = a.created_by_id) AS "createdByName",
  a.created_at AS "createdAt"`;

export const toAssessment = (row: AssessmentSqlRow): AssessmentResponse => ({ ...row, estimativeTerm: estimativeTerm(row.probability) });

/**
 * For each new version asked for, the statement's verdict: written, or why not (the claim is
 * missing, archived or resolved; someone assessed since its base version (stale); or a cited
 * item is not current evidence of the claim), decided once, in the statement.
 */
export type WriteVerdict = 'written' | 'missing' | 'archived' | 'resolved' | 'stale' | 'evidence';

export interface WriteOutcome {
  verdict: WriteVerdict;
  /** The claim's version after the statement (null when it does not exist). */
  currentVersion: number | null;
  /** Set (to the empty result of pg_notify) when the version was written and announced. */
  announced: string | null;
}

/** A new version to write, as CREATE_ASSESSMENTS takes it. */
export interface NewVersion {
  claimId: string;
  baseVersion: number;
  /** The version written (the service numbers versions: its base's next). */
  version: number;
  id: string;
  probability: number;
  confidence: string;
  rationale: string;
  authorId: string;
  at: Date;
  actorLabel: string;
  /** The audit event's `after`. */
  after: AssessmentResponse;
  evidenceIds: string[];
  /** Sets the claim's review-by time (null: leaves it). */
  reviewBy: Date | null;
}

type CreateParams = [
  claimIds: string[], baseVersions: number[], ids: string[], probabilities: number[], confidences: string[], rationales: string[],
  authorIds: string[], times: Date[], actorLabels: string[], afters: string[], citedBy: number[], citedEvidence: string[], versions: number[],
  reviewBys: (Date | null)[],
];

/**
 * New assessment versions of several claims in one statement (one round trip, one
 * commit): lock the claims, check each version, archive and resolution state and cited evidence,
 * then insert the versions that pass and their evidence links, move the claims'
 * current versions, write the audit events and announce the changes — and report
 * for every request whether it was written, and if not, why. Claims are locked in id
 * order, so concurrent statements cannot deadlock; READ COMMITTED re-reads a locked
 * row, so each check sees the latest version. A claim appears at most once.
 *
 * Per request: $1 claim, $2 base version, $3 new id, $4 probability, $5 confidence,
 * $6 rationale, $7 author, $8 time, $9 audit actor label, $10 audit `after` (JSON);
 * cited evidence as pairs: $11 request number (from 1), $12 evidence id; $13 the version to write;
 * $14 a new review-by time for the claim (null keeps its own).
 */
const CREATE_ASSESSMENTS = defineQuery<CreateParams, WriteOutcome>(
  'assessments_create',
  `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::int[], $13::int[], $3::uuid[], $4::float8[], $5::text[], $6::text[], $7::uuid[], $8::timestamptz[], $9::text[], $10::text[], $14::timestamptz[])
      WITH ORDINALITY AS i(claim_id, base_version, version, id, probability, confidence, rationale, author_id, at, actor_label, after, review_by, n)
  ), cited AS (
    SELECT * FROM unnest($11::int[], $12::uuid[]) AS c(n, evidence_id)
  ), locked AS (
    SELECT id, current_version, archived_at, status FROM claims WHERE id IN (SELECT claim_id FROM input) ORDER BY id FOR NO KEY UPDATE
  ), checked AS (
    SELECT i.n, l.current_version,
           CASE WHEN l.archived_at IS NOT NULL THEN 'archived'
                WHEN ${closedStatusSql('l.status')} THEN 'resolved'
                WHEN l.current_version <> i.base_version THEN 'stale'
                WHEN EXISTS (SELECT 1 FROM cited c WHERE c.n = i.n AND NOT EXISTS (
                  SELECT 1 FROM evidence e WHERE e.id = c.evidence_id AND e.claim_id = i.claim_id AND e.archived_at IS NULL)) THEN 'evidence'
                ELSE 'written' END AS verdict
    FROM input i JOIN locked l ON l.id = i.claim_id
  ), inserted AS (
    INSERT INTO assessments (id, claim_id, version, probability, confidence, rationale, created_by_id, created_at)
    SELECT i.id, i.claim_id, i.version, i.probability, i.confidence::"AnalyticConfidence", i.rationale, i.author_id, i.at
    FROM input i JOIN checked ch ON ch.n = i.n
    WHERE ch.verdict = 'written'
    RETURNING id
  ), written AS (
    SELECT input.* FROM input JOIN inserted USING (id)
  ), linked AS (
    INSERT INTO assessment_evidence (assessment_id, evidence_id) SELECT w.id, c.evidence_id FROM written w JOIN cited c ON c.n = w.n
  ), moved AS (
    UPDATE claims SET current_version = w.version, current_probability = w.probability, updated_at = w.at, review_by = coalesce(w.review_by, claims.review_by),
      team_gap = abs((${estimativeBandSql('w.probability')}) - (${estimativeBandSql('claims.team_probability')}))
    FROM written w WHERE claims.id = w.claim_id
  ), audited AS (
    INSERT INTO audit_events (at, actor_id, actor_label, action, entity_type, entity_id, claim_id, after)
    SELECT w.at, w.author_id, w.actor_label, 'assessment.create', 'assessment', w.id, w.claim_id, w.after::jsonb FROM written w
  )
  SELECT coalesce(ch.verdict, 'missing') AS verdict, ch.current_version AS "currentVersion",
         CASE WHEN w.id IS NOT NULL THEN pg_notify('${CHANGES_CHANNEL}', ${changePayloadSql('claims', 'w.claim_id')}) END AS announced
  FROM input i LEFT JOIN checked ch ON ch.n = i.n LEFT JOIN written w ON w.n = i.n
  ORDER BY i.n`,
  { verdict: true, currentVersion: true, announced: true },
);

/** What assessments ask of the database beyond Prisma's model calls. */
@Injectable()
export class AssessmentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Writes new versions of distinct claims in one statement; an outcome per version, in order. */
  create(versions: NewVersion[]): Promise<WriteOutcome[]> {
    const cited = versions.flatMap((v, i) => v.evidenceIds.map((evidenceId) => [i + 1, evidenceId] as const));
    return queryRows(this.prisma.pool, CREATE_ASSESSMENTS, [
      versions.map((v) => v.claimId),
      versions.map((v) => v.baseVersion),
      versions.map((v) => v.id),
      versions.map((v) => v.probability),
      versions.map((v) => v.confidence),
      versions.map((v) => v.rationale),
      versions.map((v) => v.authorId),
      versions.map((v) => v.at),
      versions.map((v) => v.actorLabel),
      versions.map((v) => JSON.stringify(v.after)),
      cited.map(([n]) => n),
      cited.map(([, evidenceId]) => evidenceId),
      versions.map((v) => v.version),
      versions.map((v) => v.reviewBy),
    ]);
  }
}
