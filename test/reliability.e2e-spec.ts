import { analystSession, fixtures, type Fixtures, rowCounts } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('contention', () => {
  let t: TestApp;
  let auth: string;
  let make: Fixtures;
  beforeAll(async () => ({ t, auth, make } = await analystSession()));
  afterAll(() => t.close());

  it('lets exactly one of 50 parallel revisions of the same version win; the other 49 get 409', async () => {
    const claim = await make.claim();
    await make.assess(claim.id, 0);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http
          .post(`/claims/${claim.id}/assessments`)
          .set('Authorization', auth)
          .send({ probability: i / 50, confidence: 'moderate', rationale: `Analyst ${i}`, baseVersion: 1 }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(49);
    const winner = responses.find((r) => r.status === 201)!.body;
    for (const loser of responses.filter((r) => r.status === 409)) expect(loser.body.current.id).toBe(winner.id);
    const history = await t.http.get(`/claims/${claim.id}/assessments`).set('Authorization', auth).expect(200);
    expect(history.body.items.map((a: { version: number }) => a.version)).toEqual([2, 1]);
  });

  it('stores every one of two bursts of 400 parallel evidence inserts (one claim each) exactly once, none answered 500', async () => {
    const source = await make.source();
    const [claim, other] = [await make.claim(), await make.claim()];
    const quotes = ['Beijing has repeatedly denied', 'Chinese firms shipped', 'The summit ended', 'dual-use components'];
    // Through a real socket, the way a client's burst arrives (supertest would open a server per request).
    const base = await t.listen();
    const insert = (i: number) =>
      fetch(`${base}/claims/${i < 400 ? claim.id : other.id}/evidence`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sourceId: source.id, stance: i % 2 ? 'supports' : 'contradicts', quote: quotes[i % 4], credibility: 1 + (i % 6), notes: `insert ${i}` }),
      }).then((res) => ({ i, status: res.status, retryAfter: res.headers.get('retry-after') }));
    // Writes to one claim take turns, so how many fit in DATABASE_WAIT_MS depends on the machine: those
    // that do not are refused with 503 and Retry-After (stored: nothing), and a client sends them again.
    let pending = Array.from({ length: 800 }, (_, i) => i);
    for (let round = 0; round < 10 && pending.length > 0; round++) {
      const responses = await Promise.all(pending.map(insert));
      expect(responses.filter((r) => r.status !== 201 && r.status !== 503)).toEqual([]);
      const refused = responses.filter((r) => r.status === 503);
      for (const r of refused) expect(Number(r.retryAfter)).toBeGreaterThan(0);
      pending = refused.map((r) => r.i);
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, Number(refused[0].retryAfter) * 1000));
    }
    expect(pending).toEqual([]);
    const stored = await t.prisma.evidence.findMany({ where: { claimId: claim.id }, select: { notes: true } });
    expect(stored).toHaveLength(400);
    expect(new Set(stored.map((e) => e.notes)).size).toBe(400);
    const view = await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200);
    expect(view.body.evidenceCounts).toEqual({ supports: 200, contradicts: 200, context: 0 });
  }, 180_000);

  it('leaves no partial state when a multi-row write fails half-way', async () => {
    const source = await make.source();
    const before = await rowCounts(t);
    const appearances = Array.from({ length: 30 }, (_, i) => ({ sourceId: source.id, quote: i < 29 ? 'Beijing' : 'not in the article' }));
    const res = await t.http.post('/claims').set('Authorization', auth).send({ statement: 'Half-written claim', appearances }).expect(422);
    expect(res.body.errors[0].field).toBe('appearances[29].quote');
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe('a saturated database', () => {
  it('answers 503 with Retry-After, never 500, once a write has waited DATABASE_WAIT_MS; what it answered 201 is stored', async () => {
    const t = await createTestApp({ DATABASE_POOL_SIZE: '1', DATABASE_WAIT_MS: '300' });
    try {
      const analyst = await t.signIn('analyst');
      const make = fixtures(t, analyst.auth);
      const source = await make.source();
      const claim = await make.claim();
      const base = await t.listen();
      const responses = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          fetch(`${base}/claims/${claim.id}/evidence`, {
            method: 'POST',
            headers: { Authorization: analyst.auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({ sourceId: source.id, stance: 'supports', quote: 'Beijing has repeatedly denied', credibility: 2, notes: `burst ${i}` }),
          }).then(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type') })),
        ),
      );
      const refused = responses.filter((r) => r.status === 503);
      expect(responses.filter((r) => r.status !== 201 && r.status !== 503)).toEqual([]);
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) {
        expect(Number(r.retryAfter)).toBeGreaterThan(0);
        expect(r.type).toMatch(/application\/problem\+json/);
      }
      expect(await t.prisma.evidence.count({ where: { claimId: claim.id } })).toBe(responses.filter((r) => r.status === 201).length);
    } finally {
      await t.close();
    }
  });
});

describe('OWASP API Security Top 10', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '16384', LOGIN_THROTTLE_LIMIT: '12' });
  });
  afterAll(() => t.close());

  it('API1/API5: object and function level authorisation — users reach only what their role allows', async () => {
    const viewer = await t.signIn('viewer');
    const analyst = await t.signIn('analyst');
    const other = await t.signIn('analyst');
    await t.http.get(`/users/${other.id}`).set('Authorization', analyst.auth).expect(403);
    await t.http.patch(`/users/${other.id}`).set('Authorization', analyst.auth).send({ name: 'Hijacked' }).expect(403);
    await t.http.get('/api-keys').set('Authorization', analyst.auth).expect(403);
    await t.http.post('/claims').set('Authorization', viewer.auth).send({ statement: 'Viewer write' }).expect(403);
    // Logging out someone else's session does nothing to it.
    const session = await t.http.post('/auth/login').send({ email: other.email, password: other.password }).expect(200);
    await t.http.post('/auth/logout').set('Authorization', analyst.auth).send({ refreshToken: session.body.refreshToken }).expect(204);
    await t.http.post('/auth/refresh').send({ refreshToken: session.body.refreshToken }).expect(200);
  });

  it('API3: mass assignment — role, id, author or version in a body is refused', async () => {
    const analyst = await t.signIn('analyst');
    const refused = [
      ['/users/me', 'patch', { role: 'admin' }],
      ['/claims', 'post', { statement: 'Mass assignment', id: '00000000-0000-4000-8000-000000000000' }],
      ['/claims', 'post', { statement: 'Mass assignment', createdById: analyst.id }],
      ['/claims', 'post', { statement: 'Mass assignment', currentVersion: 9 }],
      ['/sources', 'post', { title: 'S', kind: 'other', gradedById: analyst.id }],
    ] as const;
    for (const [path, method, body] of refused) {
      const res = await t.http[method](path).set('Authorization', analyst.auth).send(body).expect(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    const me = await t.http.get('/auth/me').set('Authorization', analyst.auth).expect(200);
    expect(me.body.role).toBe('analyst');
  });

  it('API3: excessive data exposure — no password or key hash in any response', async () => {
    const admin = await t.signIn('admin');
    const key = await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'exposure', scopes: ['read_all'] }).expect(201);
    const stored = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: key.body.id } });
    const user = await t.prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    const bodies = await Promise.all(
      ['/users', `/users/${admin.id}`, '/auth/me', '/api-keys', '/audit?limit=500', '/docs-json'].map((path) =>
        t.http.get(path).set('Authorization', admin.auth).then((r) => r.text),
      ),
    );
    for (const body of bodies) {
      expect(body).not.toContain(user.passwordHash);
      expect(body).not.toContain(stored.keyHash);
      expect(body).not.toMatch(/passwordHash|keyHash|tokenHash|\$argon2/);
    }
  });

  it('API8: security misconfiguration — security headers, no stack traces, no server banner', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
    const broken = await t.http.post('/auth/refresh').set('content-type', 'application/json').send('{"refreshToken": [}').expect(400);
    expect(broken.text).not.toMatch(/\n\s+at |node_modules/);
  });

  it('API4: rate limits and payload size — 429 for repeated sign-ins, 413 for oversized bodies', async () => {
    // Runs last: it spends this client's sign-in allowance.
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await t.http.post('/auth/login').send({ email: 'a@b.org', password: 'x' })).status);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    // That account is locked for the window; another account from the same address is not (the address limit is higher).
    await t.signIn('analyst');
    const big = await t.http.post('/claims').send({ statement: 'x'.repeat(20_000) }).expect(413);
    expect(big.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
