import { EVIDENCE_LOG_ODDS_SQL } from '../analysis/evidence-weight.js';
import { EVIDENCE_IN_FORCE } from '../claims/claims.sql.js';

/** Current confidence per claim: the API clients' hot read, also used by the benchmark's baseline. */
const CONFIDENCE_SELECT = `
  SELECT c.id AS "claimId", c.statement, c.status::text AS status, c.updated_at AS "updatedAt",
         c.current_version AS version, a.probability, a.confidence::text AS confidence,
         a.created_at AS "assessedAt", a.created_by_id AS "assessedById", u.name AS "assessedBy",
         (SELECT count(*)::int FROM evidence e WHERE e.claim_id = c.id AND e.archived_at IS NULL AND e.stance = 'supports') AS "supportingEvidence",
         (SELECT count(*)::int FROM evidence e WHERE e.claim_id = c.id AND e.archived_at IS NULL AND e.stance = 'contradicts') AS "contradictingEvidence",
         c.prior_probability AS "priorProbability",
         (SELECT ${EVIDENCE_LOG_ODDS_SQL} FROM evidence e JOIN sources s ON s.id = e.source_id
          WHERE e.claim_id = c.id AND e.archived_at IS NULL) AS "evidenceLogOdds"
  FROM claims c
  LEFT JOIN assessments a ON a.claim_id = c.id AND a.version = c.current_version
  LEFT JOIN users u ON u.id = a.created_by_id`;
// Prepared once per connection: API clients call these far more than anything else.
export const CONFIDENCE_BY_ID = { name: 'confidence_by_id', text: `${CONFIDENCE_SELECT} WHERE c.id = $1` };
export const CONFIDENCE_BY_IDS = { name: 'confidence_by_ids', text: `${CONFIDENCE_SELECT} WHERE c.id = ANY($1::uuid[])` };


/** Current claims, most recently changed first, as the claim list orders them. */
export const FIRST_PAGE = {
  name: 'confidence_first_page',
  text: 'SELECT id, updated_at AS "updatedAt" FROM claims WHERE archived_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT $1::int',
};
/**
 * The pages after several cursor positions, in one round trip ($1 and $2 each cursor's
 * update time and claim id, $3 page sizes; `n` numbers the requests from 1). Keyset: nothing
 * is skipped or repeated while claims change, and a cursor's claim may since be gone.
 */
export const PAGES_AFTER = {
  name: 'confidence_pages_after',
  text: `SELECT request.n::int AS n, page.id, page.updated_at AS "updatedAt"
         FROM unnest($1::timestamptz[], $2::uuid[], $3::int[]) WITH ORDINALITY AS request(updated_at, id, size, n)
         CROSS JOIN LATERAL (
           SELECT id, updated_at FROM claims WHERE archived_at IS NULL AND (updated_at, id) < (request.updated_at, request.id)
           ORDER BY updated_at DESC, id DESC LIMIT request.size) page
         ORDER BY request.n, page.updated_at DESC, page.id DESC`,
};

/** The evidence log-odds of claim $1 from the evidence in force at $2 (weighted by the sources' current grades). */
export const EVIDENCE_LOG_ODDS_AT = {
  name: 'confidence_evidence_log_odds_at',
  text: `SELECT ${EVIDENCE_LOG_ODDS_SQL} AS "logOdds" FROM evidence e JOIN sources s ON s.id = e.source_id
         WHERE e.claim_id = $1 AND ${EVIDENCE_IN_FORCE}`,
};
