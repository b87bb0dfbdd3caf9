// The baselines: a bare Node http server doing, for each scenario, the database work the service's
// answer needs and nothing else (no framework, authentication, validation or cache), with the
// service's own prepared statements where the service has one. Each is the practical limit for
// that work on this machine, measured in the same run as the service.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';
import { QUERIES } from '../dist/database/query.js';
import { matchingSql } from '../dist/common/text-search.js';
// The modules whose statements the baselines run (each registers its statements in QUERIES).
import '../dist/assessments/assessments.repository.js';
import { ClaimsRepository } from '../dist/claims/claims.repository.js';
import '../dist/confidence/confidence.repository.js';
import '../dist/evidence/evidence.repository.js';
import { OBJECTS_PAGE } from '../dist/taxii/taxii.repository.js';

// As many connections as the service's pool (DATABASE_POOL_SIZE's default).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const statement = (name) => {
  const query = QUERIES.find((q) => q.name === name);
  if (!query) throw new Error(`no statement ${name}`);
  return query;
};
const run = (query, values) => pool.query({ name: query.name, text: query.text, values }).then((result) => result.rows);

/** The least any database-backed confidence answer costs: one prepared primary-key read of the claim row. */
const CLAIM_ROW = { name: 'baseline_claim_row', text: 'SELECT * FROM claims WHERE id = $1' };
/** The service's confidence read (evidence figures, assessment, team) of one claim, and of several. */
const CONFIDENCE_BY_ID = statement('confidence_by_id');
const CONFIDENCE_BY_IDS = statement('confidence_by_ids');
/** The service's confidence statement for other claims than its array parameter's (fails loudly if that statement changed). */
const confidenceOf = (claims) => {
  const text = CONFIDENCE_BY_IDS.text.replace('c.id = ANY($1::uuid[])', claims);
  if (text === CONFIDENCE_BY_IDS.text) throw new Error('confidence_by_ids changed: update the baselines built from it');
  return text;
};
/**
 * A page of 100 claims' confidence after a keyset position, in one statement: the service's keyset
 * query (its index-only scan) feeding the service's confidence read of the page's claims.
 */
const pageOf = (view) => {
  const keyset = statement(`confidence_pages_after_${view}`).text.match(/SELECT id, updated_at FROM claims WHERE (.*?) AND \(updated_at, id\)/s)[1];
  const text = confidenceOf(`c.id = ANY(ARRAY(SELECT id FROM claims WHERE ${keyset} AND (updated_at, id) < ($1::timestamptz, $2::uuid) ORDER BY updated_at DESC, id DESC LIMIT 100))`);
  return { name: `baseline_page_${view}`, text: `${text} ORDER BY c.updated_at DESC, c.id DESC` };
};
const PAGES = { current: pageOf('current'), dissent: pageOf('dissent') };
const CREATE_ASSESSMENTS = statement('assessments_create');
const CLAIMS_SEARCH = statement('claims_search');
// A page of a claims search as the service reads it: its page statement (the search, the keyset page and the
// count, built by its repository on this pool) and the page's claims, appearances, assessments and evidence counts.
const claims = new ClaimsRepository({ pool });
const CLAIM_VIEWS = ['claims_by_ids', 'appearances_of', 'assessments_in_force', 'evidence_counts'].map(statement);
// A claim's evidence search: the service's own statement (the page of matching items with their fields, and the
// count), the least any answer must read; and, bare, the claim's items matched by the same full-text query, ids only.
const EVIDENCE_PAGE = statement('evidence_page_createdAt_asc');
const EVIDENCE_SEARCH = {
  name: 'baseline_evidence_search',
  text: `WITH e AS MATERIALIZED (SELECT id, quote, source_id FROM evidence WHERE claim_id = $1::uuid)
   ${matchingSql({ select: 'e.id', from: 'e JOIN sources s ON s.id = e.source_id', text: 'e.quote', language: 's.language', query: '$2' })}`,
};

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const bodyOf = (req) =>
  new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolve(JSON.parse(text)));
    req.on('error', reject);
  });

const routes = [
  // GET /claims/:id/confidence: the service's full read.
  ['GET', /^\/claims\/([0-9a-f-]{36})\/confidence$/, async (res, [id]) => {
    const [row] = await run(CONFIDENCE_BY_ID, [id]);
    return row ? json(res, 200, row) : res.writeHead(404).end();
  }],
  // GET /minimal/claims/:id/confidence: the claim row only.
  ['GET', /^\/minimal\/claims\/([0-9a-f-]{36})\/confidence$/, async (res, [id]) => {
    const [row] = await run(CLAIM_ROW, [id]);
    return row ? json(res, 200, row) : res.writeHead(404).end();
  }],
  // GET /confidence?view=current|dissent&updatedAt=…&id=…: a page of 100 after that position.
  ['GET', /^\/confidence$/, async (res, _, query) => {
    const rows = await run(PAGES[query.get('view') ?? 'current'], [query.get('updatedAt'), query.get('id')]);
    const last = rows.at(-1);
    return json(res, 200, { items: rows, nextCursor: rows.length === 100 ? `${last.updatedAt.toISOString()},${last.claimId}` : null });
  }],
  // POST /claims/:id/assessments {probability, confidence, rationale, baseVersion}: the service's write statement for one version.
  ['POST', /^\/claims\/([0-9a-f-]{36})\/assessments$/, async (res, [claimId], _, req) => {
    const { probability, confidence, rationale, baseVersion } = await bodyOf(req);
    const id = randomUUID();
    const at = new Date();
    const after = { id, claimId, version: baseVersion + 1, probability, confidence, rationale, evidenceIds: [], createdById: process.env.AUTHOR_ID, createdAt: at };
    const [outcome] = await run(CREATE_ASSESSMENTS, [
      [claimId], [baseVersion], [id], [probability], [confidence], [rationale], [process.env.AUTHOR_ID], [at], ['baseline'], [JSON.stringify(after)], [], [], [baseVersion + 1], [null],
    ]);
    return outcome.verdict === 'written' ? json(res, 201, after) : json(res, outcome.verdict === 'missing' ? 404 : 409, outcome);
  }],
  // GET /claims?q=: the service's statements for the first page of 50, rows as they come.
  ['GET', /^\/claims$/, async (res, _, query) => {
    const filter = { includeArchived: false, reviewDue: false, dissent: false, teamGap: false, q: query.get('q') };
    const { rows, total } = await claims.page(filter, { field: 'updatedAt', direction: 'desc' }, { limit: 51, counted: true });
    const ids = rows.slice(0, 50).map((row) => row.id);
    const [items, appearances, assessments, counts] = ids.length ? await Promise.all(CLAIM_VIEWS.map((view, i) => run(view, i ? [ids, null] : [ids]))) : [[], [], [], []];
    json(res, 200, { items, appearances, assessments, counts, total });
  }],
  // GET /bare/claims?q=: the full-text query alone, ids only.
  ['GET', /^\/bare\/claims$/, async (res, _, query) => json(res, 200, await run(CLAIMS_SEARCH, [query.get('q')]))],
  // GET /claims/:id/evidence?q=: the service's page statement, its rows as they come (a claim has no more than a page here).
  ['GET', /^\/claims\/([0-9a-f-]{36})\/evidence$/, async (res, [claimId], query) => {
    const rows = await run(EVIDENCE_PAGE, [claimId, null, false, null, null, null, query.get('q'), null, null, 51]);
    json(res, 200, { items: rows.filter((row) => row.id !== null), total: rows[0].total, nextCursor: null });
  }],
  ['GET', /^\/bare\/claims\/([0-9a-f-]{36})\/evidence$/, async (res, [claimId], query) => json(res, 200, await run(EVIDENCE_SEARCH, [claimId, query.get('q')]))],
  // GET /taxii/objects?after=…: a page of 1,000 TAXII objects as the envelope's text.
  ['GET', /^\/taxii\/objects$/, async (res, _, query) => {
    const rows = await run(OBJECTS_PAGE, [null, query.get('after'), [], [], false, true, false, [], 1000]);
    const more = rows.length > 1000;
    const page = more ? rows.slice(0, 1000) : rows;
    res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.1' });
    res.end(`{"more":${more}${more ? `,"next":"${Buffer.from(page.at(-1).dateAdded).toString('base64url')}"` : ''},"objects":[${page.map((row) => row.body).join(',')}]}`);
  }],
];

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  for (const [method, path, handle] of routes) {
    const match = req.method === method && path.exec(url.pathname);
    if (match) return handle(res, match.slice(1), url.searchParams, req).catch(() => res.writeHead(500).end());
  }
  res.writeHead(404).end();
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
