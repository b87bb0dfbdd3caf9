import { CHANGES_CHANNEL } from '../database/database-events.service.js';
import { estimativeTerm } from '../common/estimative.js';
import type { AssessmentResponse } from './dto/assessment.response.js';

/**
 * An assessment version (aliased `a`) as its response, field for field, but for
 * the estimative term, which `assessmentFromSql` fills in.
 */
export const ASSESSMENT_COLUMNS = `
  a.id, a.claim_id AS "claimId", a.version, a.probability, NULL AS "estimativeTerm", a.confidence::text AS confidence, a.rationale,
  ARRAY(SELECT ae.evidence_id::text FROM assessment_evidence ae WHERE ae.assessment_id = a.id ORDER BY ae.evidence_id) AS "evidenceIds",
  a.created_by_id AS "createdById", (SELECT u.name FROM users u WHERE u.id = a.created_by_id) AS "createdByName",
  a.created_at AS "createdAt"`;

export function assessmentFromSql(row: AssessmentResponse): AssessmentResponse {
  row.estimativeTerm = estimativeTerm(row.probability);
  return row;
}

/** Per claim of $1, the newest version made by $2 (or of all, when null). */
export const ASSESSMENTS_IN_FORCE = `
  SELECT DISTINCT ON (a.claim_id) ${ASSESSMENT_COLUMNS} FROM assessments a
  WHERE a.claim_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR a.created_at <= $2)
  ORDER BY a.claim_id, a.version DESC`;

/**
 * A new assessment version in one statement (one round trip, one implicit
 * transaction): lock the claim, check its version, archive state and the cited
 * evidence, then insert the version and its evidence links, move the claim's
 * current version, write the audit event and announce the change — or change
 * nothing and report why. The lock makes concurrent revisions of one claim queue;
 * READ COMMITTED re-reads the locked row, so the check sees the latest version.
 *
 * $1 claim, $2 base version, $3 new id, $4 probability, $5 confidence, $6 rationale,
 * $7 author, $8 time, $9 evidence ids, $10 audit actor label, $11 audit `after`.
 */
export const CREATE_ASSESSMENT = {
  name: 'assessment_create',
  text: `
  WITH claim AS (
    SELECT id, current_version, archived_at FROM claims WHERE id = $1::uuid FOR NO KEY UPDATE
  ), cited AS (
    SELECT count(*) = cardinality($9::uuid[]) AS ok FROM evidence
    WHERE id = ANY($9::uuid[]) AND claim_id = $1::uuid AND archived_at IS NULL
  ), inserted AS (
    INSERT INTO assessments (id, claim_id, version, probability, confidence, rationale, created_by_id, created_at)
    SELECT $3::uuid, claim.id, $2::int + 1, $4::float8, $5::"AnalyticConfidence", $6::text, $7::uuid, $8::timestamptz
    FROM claim, cited WHERE claim.current_version = $2::int AND claim.archived_at IS NULL AND cited.ok
    RETURNING id, claim_id, version
  ), linked AS (
    INSERT INTO assessment_evidence (assessment_id, evidence_id) SELECT inserted.id, unnest($9::uuid[]) FROM inserted
  ), moved AS (
    UPDATE claims SET current_version = inserted.version, current_probability = $4::float8, updated_at = $8::timestamptz
    FROM inserted WHERE claims.id = inserted.claim_id
  ), audited AS (
    INSERT INTO audit_events (at, actor_id, actor_label, action, entity_type, entity_id, after)
    SELECT $8::timestamptz, $7::uuid, $10::text, 'assessment.create', 'assessment', inserted.id, $11::jsonb FROM inserted
  )
  SELECT claim.current_version AS "currentVersion", claim.archived_at IS NOT NULL AS archived, cited.ok AS "evidenceCurrent",
         CASE WHEN inserted.id IS NOT NULL THEN pg_notify('${CHANGES_CHANNEL}', 'claims:' || claim.id) END AS announced
  FROM claim CROSS JOIN cited LEFT JOIN inserted ON true`,
};
