import { ASSESSMENT_COLUMNS } from '../assessments/assessments.sql.js';
import { EVIDENCE_IN_FORCE } from '../claims/claims.sql.js';

/*
 * The report's bulk reads, as plain SQL on the shared pool: a report reads every
 * claim's evidence and history, and row for row the ORM's generic path costs
 * several times more than the query itself. Rows come out as the API's responses
 * (field for field, in order), each prepared once per connection. $1 claim ids, $2 `asOf` (null for now).
 */

/** A timestamp as JSON writes a Date: the report prints evidence times and need not parse them. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Evidence in force, strongest first, as ReportEvidence: EvidenceResponse with ISO 8601 text for times. */
export const REPORT_EVIDENCE = {
  name: 'report_evidence',
  text: `
  SELECT e.id, e.claim_id AS "claimId", e.source_id AS "sourceId", s.title AS "sourceTitle", s.reliability::text AS "sourceReliability",
         e.stance::text AS stance, e.quote, e.credibility, s.reliability::text || e.credibility AS grade, e.diagnosticity,
         ${iso('e.observed_at')} AS "observedAt", e.notes, e.created_by_id AS "createdById",
         ${iso('e.created_at')} AS "createdAt", ${iso('e.updated_at')} AS "updatedAt", ${iso('e.archived_at')} AS "archivedAt"
  FROM evidence e JOIN sources s ON s.id = e.source_id
  WHERE e.claim_id = ANY($1::uuid[]) AND ${EVIDENCE_IN_FORCE}
  ORDER BY e.diagnosticity DESC, e.created_at ASC`,
};

/** Assessment versions made by `asOf`, oldest first, for `assessmentFromSql`. */
export const REPORT_HISTORY = {
  name: 'report_history',
  text: `
  SELECT ${ASSESSMENT_COLUMNS} FROM assessments a
  WHERE a.claim_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR a.created_at <= $2)
  ORDER BY a.version`,
};
