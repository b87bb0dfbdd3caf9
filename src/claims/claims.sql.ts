/*
 * Claim views read in bulk, as plain SQL on the shared pool: lists and reports
 * read hundreds of claims at a time, and row for row the ORM's generic path costs
 * several times more than the queries. Rows come out in the shapes the response
 * mappers take; each is prepared once per connection. $1 claim ids, $2 `asOf` (null for now).
 */

/** Every column of a claim, named as the Prisma model names them. */
export const CLAIM_COLUMNS = `
  id, statement, statement_key AS "statementKey", description, coalesce(topics, '{}') AS topics,
  coalesce(entities, '{}') AS entities, status::text AS status,
  current_version AS "currentVersion", current_probability AS "currentProbability", prior_probability AS "priorProbability",
  resolved_at AS "resolvedAt", resolution_source_id AS "resolutionSourceId", resolution_note AS "resolutionNote",
  created_by_id AS "createdById", created_at AS "createdAt", updated_at AS "updatedAt", archived_at AS "archivedAt"`;

export const CLAIMS_BY_IDS = { name: 'claims_by_ids', text: `SELECT ${CLAIM_COLUMNS} FROM claims WHERE id = ANY($1::uuid[])` };

/** Evidence (aliased `e`) that was current at $2, or is current now. */
export const EVIDENCE_IN_FORCE = `
  CASE WHEN $2::timestamptz IS NULL THEN e.archived_at IS NULL
       ELSE e.created_at <= $2 AND (e.archived_at IS NULL OR e.archived_at > $2) END`;

export const APPEARANCES_OF = {
  name: 'appearances_of',
  text: `
  SELECT a.id, a.claim_id AS "claimId", a.source_id AS "sourceId", s.title AS "sourceTitle", a.quote, a.created_at AS "createdAt"
  FROM claim_appearances a JOIN sources s ON s.id = a.source_id
  WHERE a.claim_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR a.created_at <= $2)
  ORDER BY a.created_at, a.id`,
};

export const EVIDENCE_COUNTS = {
  name: 'evidence_counts',
  text: `
  SELECT e.claim_id AS "claimId", e.stance::text AS stance, count(*)::int AS count
  FROM evidence e WHERE e.claim_id = ANY($1::uuid[]) AND ${EVIDENCE_IN_FORCE}
  GROUP BY e.claim_id, e.stance`,
};
