import { normalizeUrl } from '../src/common/url.js';
import fc from 'fast-check';
import { fixtures, rowCounts } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Strings attackers and unlucky users send. */
const NASTY = [
  "'; DROP TABLE claims; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '${7*7}{{7*7}}',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\u202e\u0301\ufeff',
  '👩🏽‍🔬 中文 العربية',
  '../../etc/passwd',
  '%00%2e%2e',
  ' ',
  '',
  'x'.repeat(10_000),
];

const text = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.string({ maxLength: 20 }));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(text, tie('any'), { maxKeys: 3 })),
})).any;
// Sent as raw JSON text, so fast-check never has to print a 1,000-level structure.
const deep = fc.integer({ min: 50, max: 1000 }).map((depth) => ({ raw: '['.repeat(depth) + ']'.repeat(depth) }));
const pollution = fc.constantFrom('{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"role":"admin"}}}', '{"statement":"x","__proto__":{"x":1}}');

const isRaw = (body: unknown): body is { raw: string } => typeof body === 'object' && body !== null && 'raw' in body && Object.keys(body).length === 1;

/** Bodies shaped like the real ones, with any field replaced by hostile values. */
function bodyFor(valid: Record<string, unknown>) {
  return fc.oneof(
    fc.record(Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, fc.oneof(fc.constant(v), value)])), { requiredKeys: [] }),
    fc.tuple(fc.constant(valid), fc.dictionary(text, value, { minKeys: 1, maxKeys: 2 })).map(([v, extra]) => ({ ...v, ...extra })),
    value,
    deep,
  );
}

describe('hostile input', () => {
  let t: TestApp;
  let auth: string;
  let adminAuth: string;
  let ids: { source: string; claim: string; evidence: string; user: string };

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '65536' });
    auth = (await t.signIn('analyst')).auth;
    const admin = await t.signIn('admin');
    adminAuth = admin.auth;
    const make = fixtures(t, auth);
    const source = await make.source();
    const claim = await make.claim();
    const evidence = await make.evidence(claim.id, source.id);
    ids = { source: source.id, claim: claim.id, evidence: evidence.id, user: (await t.signIn('viewer')).id };
  });
  afterAll(() => t.close());

  async function expectSafe(res: { status: number; headers: Record<string, string>; body: unknown; text: string }, before: Record<string, number>) {
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toMatch(/ at [\w.<>]+ \(|node_modules|prisma|SELECT |syntax error/i);
    if (res.status >= 400) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      // Login attempts, audit rows of refused writes: nothing may change after a 4xx.
      expect(await rowCounts(t)).toEqual(before);
    }
  }

  const writes = () => [
    { method: 'post' as const, path: '/sources', valid: { title: 'T', kind: 'other', url: 'https://example.org/a', reliability: 'B', fullText: 'Body text' } },
    { method: 'patch' as const, path: `/sources/${ids.source}`, valid: { title: 'Renamed', reliability: 'C' } },
    { method: 'post' as const, path: '/claims', valid: { statement: 'A claim', topics: ['t'], entities: ['E'], status: 'open' } },
    { method: 'patch' as const, path: `/claims/${ids.claim}`, valid: { description: 'd', status: 'disputed' } },
    { method: 'post' as const, path: `/claims/${ids.claim}/appearances`, valid: { sourceId: ids.source, quote: 'Beijing' } },
    { method: 'post' as const, path: `/claims/${ids.claim}/evidence`, valid: { sourceId: ids.source, stance: 'supports', quote: 'Beijing', credibility: 2, diagnosticity: 2 } },
    { method: 'patch' as const, path: `/claims/${ids.claim}/evidence/${ids.evidence}`, valid: { credibility: 3, notes: 'n' } },
    { method: 'post' as const, path: `/claims/${ids.claim}/assessments`, valid: { probability: 0.5, confidence: 'low', rationale: 'r', baseVersion: 0 } },
    { method: 'post' as const, path: '/users', valid: { email: 'x@example.org', name: 'X', role: 'viewer', password: 'long-enough-password' }, admin: true },
    { method: 'patch' as const, path: `/users/${ids.user}`, valid: { name: 'Y' }, admin: true },
    { method: 'post' as const, path: '/api-keys', valid: { name: 'k', scopes: ['read_all'] }, admin: true },
  ];

  const TRIMMED = ['title', 'statement', 'name', 'description', 'notes', 'rationale', 'reliabilityNotes', 'outlet', 'author'];
  const storedForm = (field: string, sent: string) =>
    TRIMMED.includes(field) ? sent.trim() : field === 'url' ? normalizeUrl(sent) : field === 'email' ? sent.trim().toLowerCase() : sent;

  it('answers every hostile body to every write with a 4xx problem or a faithful 2xx, never a 500', async () => {
    for (const route of writes()) {
      await fc.assert(
        fc.asyncProperty(bodyFor(route.valid), async (body) => {
          const before = await rowCounts(t);
          const res = await t.http[route.method](route.path)
            .set('Authorization', route.admin ? adminAuth : auth)
            .set('content-type', 'application/json')
            .send(isRaw(body) ? body.raw : JSON.stringify(body));
          await expectSafe(res, before);
          if (res.status < 300 && body && typeof body === 'object' && !Array.isArray(body) && !isRaw(body)) {
            // Stored as sent, in Unicode NFC: statements and names trimmed, URLs normalised, emails lower-cased.
            for (const [field, sent] of Object.entries(body as Record<string, unknown>)) {
              if (typeof sent === 'string' && field in res.body && typeof res.body[field] === 'string') {
                expect(res.body[field]).toBe(storedForm(field, sent.normalize('NFC')));
              }
            }
          }
        }),
        { numRuns: 25 },
      );
    }
  });

  it('refuses prototype-pollution keys and malformed JSON with a 400', async () => {
    await fc.assert(
      fc.asyncProperty(pollution, async (raw) => {
        const before = await rowCounts(t);
        const res = await t.http.post('/claims').set('Authorization', auth).set('content-type', 'application/json').send(raw);
        expect(res.status).toBe(400);
        await expectSafe(res, before);
        expect(({} as Record<string, unknown>).role).toBeUndefined();
      }),
    );
  });

  it('answers hostile query strings and path parameters to every read with a 4xx problem or a 2xx', async () => {
    const lists = ['/sources', '/claims', `/claims/${ids.claim}/evidence`, `/claims/${ids.claim}/assessments`, '/audit', '/confidence', '/confidence/changes', '/reports/claims', '/users', '/api-keys'];
    const params = ['limit', 'cursor', 'sort', 'q', 'topic', 'status', 'entity', 'source', 'updatedSince', 'asOf', 'includeArchived', 'since', 'format', 'entityId', 'kind'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), fc.dictionary(fc.constantFrom(...params), text, { maxKeys: 4 }), async (path, query) => {
        const before = await rowCounts(t);
        const res = await t.http.get(path).query(query).set('Authorization', adminAuth);
        await expectSafe(res, before);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom('/claims/', '/sources/', '/users/', '/claims/x/evidence/', '/claims/'), async (param, prefix) => {
        const before = await rowCounts(t);
        const res = await t.http.get(prefix + encodeURIComponent(param.toWellFormed())).set('Authorization', adminAuth);
        await expectSafe(res, before);
      }),
      { numRuns: 100 },
    );
  });

  it('stores hostile text verbatim and escapes it in the HTML report', async () => {
    const statement = '<script>alert("x")</script> & <b>bold</b> \u202e';
    const claim = await t.http.post('/claims').set('Authorization', auth).send({ statement, topics: ['hostile-html'] }).expect(201);
    expect(claim.body.statement).toBe(statement.trim());
    const read = await t.http.get(`/claims/${claim.body.id}`).set('Authorization', auth).expect(200);
    expect(read.body.statement).toBe(statement.trim());
    const html = await t.http.get('/reports/claims').query({ format: 'html', topic: 'hostile-html' }).set('Authorization', auth).expect(200);
    expect(html.text).not.toContain('<script>alert');
    expect(html.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
  });
});
