import { JwtService } from '@nestjs/jwt';
import { fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Principal = { name: string; headers: Record<string, string> };
interface Call {
  method: 'post' | 'patch' | 'put' | 'delete' | 'get';
  path: string;
  body?: object;
  ok: number;
}

describe('authentication and authorisation', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['signIn']>>;
  let make: ReturnType<typeof fixtures>;
  const principals: Record<string, Principal> = {};

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn('admin');
    make = fixtures(t, admin.auth);
    const viewer = await t.signIn('viewer');
    const analyst = await t.signIn('analyst');
    const key = async (scopes: string[]) =>
      (await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: scopes.join('+'), scopes }).expect(201)).body;
    const confidenceKey = await key(['read_confidence']);
    const readAllKey = await key(['read_all']);
    const revokedKey = await key(['read_all']);
    await t.http.delete(`/api-keys/${revokedKey.id}`).set('Authorization', admin.auth).expect(204);

    const jwt = new JwtService();
    const secret = process.env.JWT_SECRET!;
    const expired = jwt.sign({ sub: analyst.id, role: 'analyst', exp: Math.floor(Date.now() / 1000) - 60 }, { secret });
    const otherSecret = jwt.sign({ sub: admin.id, role: 'admin' }, { secret: 'another-secret-that-is-long-enough-32' });
    const [header, , signature] = viewer.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: admin.id, role: 'admin', exp: 9_999_999_999 })).toString('base64url');
    const tampered = `${header}.${forgedPayload}.${signature}`;

    Object.assign(principals, {
      none: { name: 'no credentials', headers: {} },
      viewer: { name: 'viewer', headers: { Authorization: viewer.auth } },
      analyst: { name: 'analyst', headers: { Authorization: analyst.auth } },
      admin: { name: 'admin', headers: { Authorization: admin.auth } },
      confidenceKey: { name: 'read-confidence key', headers: { 'X-API-Key': confidenceKey.key } },
      readAllKey: { name: 'read-all key (as bearer)', headers: { Authorization: `Bearer ${readAllKey.key}` } },
      revokedKey: { name: 'revoked key', headers: { 'X-API-Key': revokedKey.key } },
      expired: { name: 'expired token', headers: { Authorization: `Bearer ${expired}` } },
      otherSecret: { name: 'token signed with another secret', headers: { Authorization: `Bearer ${otherSecret}` } },
      tampered: { name: 'tampered token', headers: { Authorization: `Bearer ${tampered}` } },
    });
  });
  afterAll(() => t.close());

  /** A fresh, valid request for each write or admin route, so allowed callers get its success status. */
  const routes: Record<string, () => Promise<Call>> = {
    'POST /sources': async () => ({ method: 'post', path: '/sources', body: { title: `S ${Math.random()}`, kind: 'other' }, ok: 201 }),
    'PATCH /sources/:id': async () => ({ method: 'patch', path: `/sources/${(await make.source()).id}`, body: { reliability: 'C' }, ok: 200 }),
    'DELETE /sources/:id': async () => ({ method: 'delete', path: `/sources/${(await make.source()).id}`, ok: 204 }),
    'POST /claims': async () => ({ method: 'post', path: '/claims', body: { statement: `Claim ${Math.random()}` }, ok: 201 }),
    'PATCH /claims/:id': async () => ({ method: 'patch', path: `/claims/${(await make.claim()).id}`, body: { status: 'disputed' }, ok: 200 }),
    'DELETE /claims/:id': async () => ({ method: 'delete', path: `/claims/${(await make.claim()).id}`, ok: 204 }),
    'POST /claims/:id/appearances': async () => ({
      method: 'post',
      path: `/claims/${(await make.claim()).id}/appearances`,
      body: { sourceId: (await make.source()).id, quote: 'Chinese firms shipped' },
      ok: 201,
    }),
    'DELETE /claims/:id/appearances/:id': async () => {
      const claim = await make.claim({ appearances: [{ sourceId: (await make.source()).id, quote: 'Chinese firms' }] });
      return { method: 'delete', path: `/claims/${claim.id}/appearances/${(claim.appearances as { id: string }[])[0].id}`, ok: 204 };
    },
    'POST /claims/:id/evidence': async () => ({
      method: 'post',
      path: `/claims/${(await make.claim()).id}/evidence`,
      body: { sourceId: (await make.source()).id, stance: 'context', quote: 'Chinese firms', credibility: 3 },
      ok: 201,
    }),
    'PATCH /claims/:id/evidence/:id': async () => {
      const claim = await make.claim();
      const item = await make.evidence(claim.id, (await make.source()).id);
      return { method: 'patch', path: `/claims/${claim.id}/evidence/${item.id}`, body: { credibility: 1 }, ok: 200 };
    },
    'DELETE /claims/:id/evidence/:id': async () => {
      const claim = await make.claim();
      const item = await make.evidence(claim.id, (await make.source()).id);
      return { method: 'delete', path: `/claims/${claim.id}/evidence/${item.id}`, ok: 204 };
    },
    'POST /claims/:id/assessments': async () => ({
      method: 'post',
      path: `/claims/${(await make.claim()).id}/assessments`,
      body: { probability: 0.4, confidence: 'low', rationale: 'r', baseVersion: 0 },
      ok: 201,
    }),
    'PUT /claims/:id/resolution': async () => ({
      method: 'put',
      path: `/claims/${(await make.claim()).id}/resolution`,
      body: { outcome: false, resolvedAt: new Date().toISOString() },
      ok: 200,
    }),
    'DELETE /claims/:id/resolution': async () => {
      const claim = await make.claim();
      await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', admin.auth).send({ outcome: true, resolvedAt: new Date().toISOString() }).expect(200);
      return { method: 'delete', path: `/claims/${claim.id}/resolution`, ok: 200 };
    },
    'POST /questions': async () => ({
      method: 'post',
      path: '/questions',
      body: { title: 'Which?', hypothesisIds: [(await make.claim()).id, (await make.claim()).id] },
      ok: 201,
    }),
    'PUT /questions/:id/ratings': async () => {
      const [a, b] = [await make.claim(), await make.claim()];
      const item = await make.evidence(a.id, (await make.source()).id);
      const question = await t.http.post('/questions').set('Authorization', admin.auth).send({ title: 'Which?', hypothesisIds: [a.id, b.id] }).expect(201);
      return { method: 'put', path: `/questions/${question.body.id}/ratings`, body: { ratings: [{ evidenceId: item.id, claimId: b.id, consistency: 'I' }] }, ok: 200 };
    },
    'POST /users': async () => ({
      method: 'post',
      path: '/users',
      body: { email: `u${Math.random()}@example.org`, name: 'U', role: 'viewer', password: 'a-long-password-1' },
      ok: 201,
    }),
    'GET /users': async () => ({ method: 'get', path: '/users', ok: 200 }),
    'PATCH /users/:id': async () => {
      const user = (await t.signIn('viewer')).id;
      return { method: 'patch', path: `/users/${user}`, body: { name: 'Renamed' }, ok: 200 };
    },
    'POST /api-keys': async () => ({ method: 'post', path: '/api-keys', body: { name: 'k', scopes: ['read_all'] }, ok: 201 }),
    'GET /api-keys': async () => ({ method: 'get', path: '/api-keys', ok: 200 }),
    'DELETE /api-keys/:id': async () => {
      const key = await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'k', scopes: ['read_all'] }).expect(201);
      return { method: 'delete', path: `/api-keys/${key.body.id}`, ok: 204 };
    },
  };
  const adminOnly = (route: string) => route.includes('/users') || route.includes('/api-keys');

  function expected(principal: string, route: string, ok: number): number {
    if (['none', 'revokedKey', 'expired', 'otherSecret', 'tampered'].includes(principal)) return 401;
    if (principal === 'admin') return ok;
    if (principal === 'analyst') return adminOnly(route) ? 403 : ok;
    return 403; // viewers and API keys never write or administer
  }

  const cases = Object.keys(routes).flatMap((route) =>
    ['none', 'viewer', 'analyst', 'admin', 'confidenceKey', 'readAllKey', 'revokedKey', 'expired', 'otherSecret', 'tampered'].map(
      (principal) => [route, principal] as const,
    ),
  );

  it.each(cases)('%s as %s gets exactly the expected status', async (route, principal) => {
    const call = await routes[route]();
    let request = t.http[call.method](call.path);
    for (const [name, value] of Object.entries(principals[principal].headers)) request = request.set(name, value);
    const res = await (call.body ? request.send(call.body) : request);
    expect({ route, principal, status: res.status }).toEqual({ route, principal, status: expected(principal, route, call.ok) });
  });

  it('lets viewers and read-all keys read, and keeps read-confidence keys out of everything else', async () => {
    await t.http.get('/claims').set(principals.viewer.headers).expect(200);
    await t.http.get('/claims').set(principals.readAllKey.headers).expect(200);
    await t.http.get('/sources').set(principals.confidenceKey.headers).expect(403);
    await t.http.get('/claims').set(principals.confidenceKey.headers).expect(403);
    await t.http.get('/audit').set(principals.confidenceKey.headers).expect(403);
  });
});

describe('sign-in, refresh and API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_THROTTLE_LIMIT: '5', ADMIN_EMAIL: 'First.Admin@Example.org', ADMIN_PASSWORD: 'first-admin-password' });
  });
  afterAll(() => t.close());

  it('creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD, and says the same thing for every failed login', async () => {
    const ok = await t.http.post('/auth/login').send({ email: 'first.admin@example.org', password: 'first-admin-password' }).expect(200);
    expect(ok.body).toMatchObject({ tokenType: 'Bearer', user: { role: 'admin', email: 'first.admin@example.org' } });
    expect(JSON.stringify(ok.body)).not.toMatch(/passwordHash|\$argon2/);
    const wrongPassword = await t.http.post('/auth/login').send({ email: 'first.admin@example.org', password: 'nope' }).expect(401);
    const unknownEmail = await t.http.post('/auth/login').send({ email: 'nobody@example.org', password: 'nope' }).expect(401);
    expect(wrongPassword.body.detail).toBe(unknownEmail.body.detail);
  });

  it('throttles repeated sign-in attempts on one account with 429, without locking out colleagues at the same address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await t.http.post('/auth/login').send({ email: 'x@example.org', password: 'guess' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const limited = await t.http.post('/auth/login').send({ email: ' X@Example.org', password: 'guess' }).expect(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.post('/auth/login').send({ email: 'first.admin@example.org', password: 'first-admin-password' }).expect(200);
  });
});

describe('sign-in throttling per client address, behind a proxy', () => {
  const attempts = async (t: TestApp, address: string, n: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      statuses.push((await t.http.post('/auth/login').set('X-Forwarded-For', address).send({ email: `user${i}@example.org`, password: 'guess' })).status);
    }
    return statuses;
  };

  it('with TRUST_PROXY, counts each client behind the proxy on its own', async () => {
    const t = await createTestApp({ TRUST_PROXY: '127.0.0.1', LOGIN_THROTTLE_ADDRESS_LIMIT: '3' });
    try {
      expect(await attempts(t, '203.0.113.7', 4)).toEqual([401, 401, 401, 429]);
      expect(await attempts(t, '198.51.100.2', 3)).toEqual([401, 401, 401]);
    } finally {
      await t.close();
    }
  });

  it('without it, ignores X-Forwarded-For, so a client cannot dodge the limit by making one up', async () => {
    const t = await createTestApp({ LOGIN_THROTTLE_ADDRESS_LIMIT: '3' });
    try {
      expect(await attempts(t, '203.0.113.7', 3)).toEqual([401, 401, 401]);
      expect(await attempts(t, '198.51.100.2', 1)).toEqual([429]);
    } finally {
      await t.close();
    }
  });
});

describe('refresh tokens, logout, keys and self-service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('keeps a browser session\'s refresh token in an HttpOnly cookie: rotated on refresh, cleared on sign-out', async () => {
    const user = await t.signIn('viewer');
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password, session: 'cookie' }).expect(200);
    expect(login.body.refreshToken).toBeUndefined();
    const cookieOf = (res: { headers: Record<string, unknown> }) => ([res.headers['set-cookie']].flat() as string[]).find((c) => c.startsWith('claimtrack_refresh='))!;
    const first = cookieOf(login);
    expect(first).toMatch(/; Max-Age=\d+; Path=\/auth; HttpOnly; SameSite=Strict$/);
    expect(first).not.toMatch(/Secure/);
    const value = (cookie: string) => cookie.split(';')[0];

    const refreshed = await t.http.post('/auth/refresh').set('Cookie', value(first)).send({}).expect(200);
    expect(refreshed.body.refreshToken).toBeUndefined();
    await t.http.get('/auth/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`).expect(200);
    const second = cookieOf(refreshed);
    expect(value(second)).not.toBe(value(first));
    // The old cookie again: reuse, so the whole family is revoked.
    await t.http.post('/auth/refresh').set('Cookie', value(first)).send({}).expect(401);
    await t.http.post('/auth/refresh').set('Cookie', value(second)).send({}).expect(401);
    await t.http.post('/auth/refresh').send({}).expect(401);

    const again = await t.http.post('/auth/login').send({ email: user.email, password: user.password, session: 'cookie' }).expect(200);
    const out = await t.http.post('/auth/logout').set('Authorization', `Bearer ${again.body.accessToken}`).set('Cookie', value(cookieOf(again))).send({}).expect(204);
    expect(cookieOf(out)).toMatch(/^claimtrack_refresh=;.*Expires=Thu, 01 Jan 1970/);
    await t.http.post('/auth/refresh').set('Cookie', value(cookieOf(again))).send({}).expect(401);
  });

  it('rotates refresh tokens and revokes the whole family when one is reused', async () => {
    const user = await t.signIn('analyst');
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const first = await t.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(login.body.refreshToken);
    await t.http.get('/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);
    await t.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
    // The reuse revoked the token rotated from it too.
    await t.http.post('/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
  });

  it('revokes refresh tokens on logout', async () => {
    const user = await t.signIn('viewer');
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    await t.http.post('/auth/logout').set('Authorization', `Bearer ${login.body.accessToken}`).send({ refreshToken: login.body.refreshToken }).expect(204);
    await t.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
  });

  it('shows an API key once, stores it hashed, records its use and stops it at once when revoked', async () => {
    const admin = await t.signIn('admin');
    const created = await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'dashboard', scopes: ['read_all'] }).expect(201);
    expect(created.body.key).toMatch(/^ct_/);
    const stored = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(stored.keyHash).not.toContain(created.body.key);
    const listed = await t.http.get('/api-keys').set('Authorization', admin.auth).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect(JSON.stringify(listed.body)).not.toContain(stored.keyHash);
    await t.http.get('/claims').set('X-API-Key', created.body.key).expect(200);
    await t.http.get('/claims').set('Authorization', `Bearer ${created.body.key}`).expect(200);
    const used = await t.http.get('/api-keys').set('Authorization', admin.auth).expect(200);
    expect(used.body.items.find((k: { id: string }) => k.id === created.body.id).lastUsedAt).not.toBeNull();
    await t.http.delete(`/api-keys/${created.body.id}`).set('Authorization', admin.auth).expect(204);
    await t.http.get('/claims').set('X-API-Key', created.body.key).expect(401);
  });

  it('never lets users raise their own role', async () => {
    const analyst = await t.signIn('analyst');
    await t.http.patch('/users/me').set('Authorization', analyst.auth).send({ role: 'admin' }).expect(400);
    await t.http.patch(`/users/${analyst.id}`).set('Authorization', analyst.auth).send({ role: 'admin' }).expect(403);
    const admin = await t.signIn('admin');
    await t.http.patch(`/users/${admin.id}`).set('Authorization', admin.auth).send({ role: 'viewer' }).expect(403);
    const me = await t.http.patch('/users/me').set('Authorization', analyst.auth).send({ name: 'New Name' }).expect(200);
    expect(me.body).toMatchObject({ name: 'New Name', role: 'analyst' });
  });

  it('ends sessions at once when an admin disables a user or demotes them', async () => {
    const admin = await t.signIn('admin');
    const analyst = await t.signIn('analyst');
    await t.http.post('/claims').set('Authorization', analyst.auth).send({ statement: 'Before demotion' }).expect(201);
    await t.http.patch(`/users/${analyst.id}`).set('Authorization', admin.auth).send({ role: 'viewer' }).expect(200);
    await t.http.post('/claims').set('Authorization', analyst.auth).send({ statement: 'After demotion' }).expect(403);
    await t.http.patch(`/users/${analyst.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(200);
    await t.http.get('/claims').set('Authorization', analyst.auth).expect(401);
    await t.http.post('/auth/login').send({ email: analyst.email, password: analyst.password }).expect(401);
  });

  it('records who made each change in the audit trail', async () => {
    const analyst = await t.signIn('analyst');
    const claim = await t.http.post('/claims').set('Authorization', analyst.auth).send({ statement: 'Audited claim' }).expect(201);
    const audit = await t.http.get('/audit').query({ entityId: claim.body.id }).set('Authorization', analyst.auth).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'claim.create', actorId: analyst.id, actor: analyst.email })]);
  });
});
