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
    `INSERT INTO evidence (id, claim_id, source_id, stance, quote, credibility, diagnosticity, created_by_id, updated_at)
       SELECT gen_random_uuid(), c.id, s.id, (ARRAY['supports','contradicts','context'])[1 + e % 3]::"Stance",
              'Generated quote ' || e || ', with "quotes" and commas, for claim ' || c.rn, 1 + e % 6, 1 + e % 4, ${author}, now()
       FROM (SELECT id, row_number() OVER () AS rn FROM claims) c
       CROSS JOIN generate_series(1, ${n(evidencePerClaim)}) e
       JOIN (SELECT id, row_number() OVER () - 1 AS k FROM sources) s ON s.k = (c.rn + e) % 100`,
    `INSERT INTO assessments (id, claim_id, version, probability, confidence, rationale, created_by_id, created_at)
       SELECT gen_random_uuid(), c.id, v, ((c.rn * 7 + v * 13) % 99 + 1) / 100.0, (ARRAY['low','moderate','high'])[1 + v % 3]::"AnalyticConfidence",
              'Generated rationale for version ' || v, ${author}, now() - ((${n(versions)} - v) || ' hours')::interval
       FROM (SELECT id, row_number() OVER () AS rn FROM claims) c
       CROSS JOIN generate_series(1, ${n(versions)}) v`,
    `UPDATE claims c SET current_version = a.version, current_probability = a.probability
       FROM assessments a WHERE a.claim_id = c.id AND a.version = ${n(versions)}`,
    // As after any bulk load (autovacuum would get there too): statistics, and a visibility map for index-only scans.
    'VACUUM ANALYZE',
  ];
}
