import { consensusSql, estimativeBandSql } from '../dist/analysis/consensus.js';
import { EVIDENCE_LOG_ODDS_SQL } from '../dist/analysis/evidence-weight.js';

/** Analysts whose own estimates the dataset holds, on half the claims. */
export const ESTIMATING_ANALYSTS = 3;

/**
 * A generated dataset, written straight into the tables (the API would take minutes
 * for 100,000 rows). Numbers and the author id are ours, so they are inlined.
 */
export function datasetSql({ claims, evidencePerClaim, versions, authorId }) {
  const n = (value) => Math.trunc(Number(value));
  if (!/^[0-9a-f-]{36}$/.test(authorId)) throw new Error('authorId must be a uuid');
  const author = `'${authorId}'::uuid`;
  return [
    `INSERT INTO sources (id, title, kind, reliability, created_by_id, updated_at)
       SELECT gen_random_uuid(), 'Bench source ' || g, 'news_report', (ARRAY['A','B','C','D','E','F'])[1 + g % 6]::"Reliability", ${author}, now()
       FROM generate_series(1, 100) g`,
    `INSERT INTO claims (id, statement, statement_key, topics, entities, status, created_by_id, created_at, updated_at)
       SELECT gen_random_uuid(), 'Generated claim number ' || g || ' about topic ' || (g % 50), 'generatedclaimnumber' || g,
              ARRAY['topic-' || (g % 50)], ARRAY['Entity ' || (g % 200)], 'open', ${author},
              now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
       FROM generate_series(1, ${n(claims)}) g`,
    // Each item its own origin (its id), as the service would record it: written here, not updated after, so the table is not bloated.
    `INSERT INTO evidence (id, origin_id, claim_id, source_id, stance, quote, credibility, diagnosticity, created_by_id, updated_at)
       SELECT x.id, x.id, x.claim_id, x.source_id, (ARRAY['supports','contradicts','context'])[1 + x.e % 3]::"Stance",
              'Generated quote ' || x.e || ', with "quotes" and commas, for claim ' || x.rn, 1 + x.e % 6, 1 + x.e % 4, ${author}, now()
       FROM (SELECT gen_random_uuid() AS id, c.id AS claim_id, s.id AS source_id, e, c.rn
             FROM (SELECT id, row_number() OVER () AS rn FROM claims) c
             CROSS JOIN generate_series(1, ${n(evidencePerClaim)}) e
             JOIN (SELECT id, row_number() OVER () - 1 AS k FROM sources) s ON s.k = (c.rn + e) % 100) x`,
    // Each claim's evidence weight as the service keeps it: no provenance is recorded, so every item is its own origin.
    `UPDATE claims c SET evidence_log_odds = w.log_odds, evidence_probability = 1 / (1 + exp(-w.log_odds)),
       supporting_items = w.supporting, supporting_origins = w.supporting, contradicting_items = w.contradicting, contradicting_origins = w.contradicting
     FROM (SELECT e.claim_id, ${EVIDENCE_LOG_ODDS_SQL} AS log_odds,
                  count(*) FILTER (WHERE e.stance = 'supports')::int AS supporting, count(*) FILTER (WHERE e.stance = 'contradicts')::int AS contradicting
           FROM evidence e JOIN sources s ON s.id = e.source_id GROUP BY e.claim_id) w
     WHERE w.claim_id = c.id`,
    `INSERT INTO assessments (id, claim_id, version, probability, confidence, rationale, created_by_id, created_at)
       SELECT gen_random_uuid(), c.id, v, ((c.rn * 7 + v * 13) % 99 + 1) / 100.0, (ARRAY['low','moderate','high'])[1 + v % 3]::"AnalyticConfidence",
              'Generated rationale for version ' || v, ${author}, now() - ((${n(versions)} - v) || ' hours')::interval
       FROM (SELECT id, row_number() OVER () AS rn FROM claims) c
       CROSS JOIN generate_series(1, ${n(versions)}) v`,
    `UPDATE claims c SET current_version = a.version, current_probability = a.probability
       FROM assessments a WHERE a.claim_id = c.id AND a.version = ${n(versions)}`,
    `INSERT INTO users (id, email, name, role, password_hash, disabled_at, updated_at)
       SELECT gen_random_uuid(), 'bench.estimator' || k || '@claimtrack.local', 'Bench Estimator ' || k, 'analyst', 'not a hash', now(), now()
       FROM generate_series(1, ${ESTIMATING_ANALYSTS}) k`,
    // Every other claim: each estimator's version 1, spread so that some claims dissent and most do not.
    `INSERT INTO estimates (id, claim_id, analyst_id, version, probability, confidence, rationale, created_at)
       SELECT gen_random_uuid(), c.id, u.id, 1, ((c.rn * 11 + u.k * 29 + (c.rn % 7) * u.k * 6) % 97 + 2) / 100.0, 'moderate',
              'Generated estimate', now() - interval '30 minutes'
       FROM (SELECT id, row_number() OVER () AS rn FROM claims) c
       CROSS JOIN (SELECT id, row_number() OVER (ORDER BY email) AS k FROM users WHERE email LIKE 'bench.estimator%') u
       WHERE c.rn % 2 = 0`,
    // The team columns as the service keeps them (the same consensus, no extremizing, the same band edges).
    `UPDATE claims c SET team_probability = t.probability, team_analysts = t.analysts,
       team_band_span = (${estimativeBandSql('t.highest')}) - (${estimativeBandSql('t.lowest')}),
       team_gap = abs((${estimativeBandSql('c.current_probability')}) - (${estimativeBandSql('t.probability')}))
     FROM (SELECT claim_id, ${consensusSql('probability', '1', '1')} AS probability, count(*)::int AS analysts,
                  max(probability) AS highest, min(probability) AS lowest
           FROM estimates GROUP BY claim_id) t
     WHERE t.claim_id = c.id`,
    // As after any bulk load (autovacuum would get there too): statistics, and a visibility map for index-only scans.
    'VACUUM ANALYZE',
  ];
}

/**
 * Scenario 4's baseline: the rows a claims report holds, in the report's order, as PostgreSQL's own
 * `COPY … TO STDOUT` writes them (CSV, or one JSON object per line): each current claim with its
 * assessment in force, every version (with cited items and author), every evidence item (all its
 * columns, its source's title and grade, its originator), its appearances, the sources of both, and
 * the analysts' latest estimates.
 */
export function exportCopySql(format) {
  const rows = `
    SELECT c.id, c.statement, c.status, c.topics, c.entities, c.created_at, a.probability, a.confidence, c.current_version AS version,
           c.evidence_probability, a.created_at AS assessed_at, u.name AS assessed_by, a.rationale,
           c.supporting_items, c.contradicting_items, c.supporting_origins, c.contradicting_origins,
           c.team_probability, c.team_analysts, c.team_band_span, c.team_gap, ev.evidence, hist.history, est.estimates, app.appearances, src.sources
    FROM claims c
    LEFT JOIN assessments a ON a.claim_id = c.id AND a.version = c.current_version
    LEFT JOIN users u ON u.id = a.created_by_id
    CROSS JOIN LATERAL (
      SELECT json_agg(to_jsonb(e) || jsonb_build_object('sourceTitle', s.title, 'sourceReliability', s.reliability, 'originatorName', o.name)
                      ORDER BY e.diagnosticity DESC, e.created_at) AS evidence
      FROM evidence e JOIN sources s ON s.id = e.source_id LEFT JOIN originators o ON o.id = e.originator_id
      WHERE e.claim_id = c.id AND e.archived_at IS NULL) ev
    CROSS JOIN LATERAL (
      SELECT json_agg(to_jsonb(h) || jsonb_build_object('createdByName', hu.name,
                        'evidenceIds', ARRAY(SELECT ae.evidence_id FROM assessment_evidence ae WHERE ae.assessment_id = h.id ORDER BY ae.evidence_id))
                      ORDER BY h.version) AS history
      FROM assessments h LEFT JOIN users hu ON hu.id = h.created_by_id WHERE h.claim_id = c.id) hist
    CROSS JOIN LATERAL (
      SELECT json_agg(json_build_object('analystId', x.analyst_id, 'analyst', eu.name, 'version', x.version, 'probability', x.probability, 'at', x.created_at)) AS estimates
      FROM (SELECT DISTINCT ON (analyst_id) analyst_id, version, probability, created_at FROM estimates WHERE claim_id = c.id ORDER BY analyst_id, version DESC) x
      JOIN users eu ON eu.id = x.analyst_id) est
    CROSS JOIN LATERAL (
      SELECT json_agg(json_build_object('sourceId', ca.source_id, 'sourceTitle', s.title, 'quote', ca.quote) ORDER BY ca.created_at) AS appearances
      FROM claim_appearances ca JOIN sources s ON s.id = ca.source_id WHERE ca.claim_id = c.id) app
    CROSS JOIN LATERAL (
      SELECT json_agg(json_build_object('id', s.id, 'title', s.title, 'kind', s.kind, 'outlet', s.outlet, 'author', s.author, 'url', s.url,
                                        'publishedOn', s.published_on, 'dateInferred', s.date_inferred, 'reliability', s.reliability,
                                        'createdAt', s.created_at, 'gradedAt', s.graded_at)) AS sources
      FROM sources s WHERE s.id IN (SELECT source_id FROM evidence WHERE claim_id = c.id AND archived_at IS NULL
                                    UNION SELECT source_id FROM claim_appearances WHERE claim_id = c.id)) src
    WHERE c.archived_at IS NULL
    ORDER BY c.updated_at DESC, c.id DESC`;
  if (format === 'csv') return `COPY (${rows}) TO STDOUT WITH (FORMAT csv, HEADER)`;
  if (format === 'json') return `COPY (SELECT row_to_json(r) FROM (${rows}) r) TO STDOUT`;
  throw new Error(`no COPY baseline for ${format}`);
}
