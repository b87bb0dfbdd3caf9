import { applyMigrations, pendingSchemaChange } from '../src/database/migrator.js';
import { queryServer } from './support/database.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '4096' });
  });
  afterAll(() => t.close());

  it('answers liveness and readiness', async () => {
    await t.http.get('/health').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.info.database.status).toBe('up');
  });

  it('publishes the OpenAPI document with its security schemes', async () => {
    const docs = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/health', '/health/ready', '/auth/login', '/users']));
    expect(Object.keys(docs.body.components.securitySchemes)).toEqual(['bearer', 'api-key', 'basic']);
    await t.http.get('/docs').expect(200).expect('content-type', /html/);
  });

  it('answers unknown routes with problem+json 404', async () => {
    const res = await t.http.get('/no-such-route').expect(404).expect('content-type', /application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
  });

  it('names every bad field and unknown field in a 400', async () => {
    const res = await t.http
      .post('/auth/login')
      .send({ email: 42, password: 'x', role: 'admin' })
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(res.body.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'role']));
  });

  it('refuses malformed JSON and oversized bodies without leaking internals', async () => {
    const bad = await t.http.post('/auth/login').set('content-type', 'application/json').send('{"email":').expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.body)).not.toMatch(/at \w+ \(|node_modules/);
    const big = await t.http.post('/auth/login').send({ email: 'a@b.c', password: 'x'.repeat(5000) }).expect(413);
    expect(big.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('sends security headers, and hands back the request id it logs', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.http.get('/health').set('X-Request-Id', 'trace-42.a').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-42.a');
    const refused = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(refused.headers['x-request-id']).not.toBe('bad id with spaces');
  });
});

describe('migrations', () => {
  it('has a migration for every change to schema.prisma', async () => {
    expect(await pendingSchemaChange(process.env.TEST_SERVER_URL!)).toBe('');
  });

  it('records applied migrations as prisma migrate deploy does, and re-running applies nothing', async () => {
    const t = await createTestApp();
    try {
      const rows = await queryServer<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        t.databaseUrl,
        'SELECT migration_name, checksum, finished_at FROM _prisma_migrations',
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.finished_at).not.toBeNull();
      }
      expect(await applyMigrations(t.databaseUrl)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('OpenAPI coverage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('documents every route with its request body, response schema and security', async () => {
    const docs = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: unknown }>; security?: unknown[] }>>;
    };
    const publicRoutes = ['/health', '/health/ready', '/auth/login', '/auth/refresh'];
    const operations = Object.entries(docs.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(30);
    for (const { route, path, method, operation } of operations) {
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      expect({ route, documented: success.length > 0 }).toEqual({ route, documented: true });
      for (const [status, response] of success) {
        if (status !== '204') expect({ route, status, schema: Boolean(response.content) }).toEqual({ route, status, schema: true });
      }
      if (['post', 'patch', 'put'].includes(method) && !['/auth/logout', '/confidence/stream-tokens', '/reports/claims/tokens', '/users/me/visits', '/users/me/visits/{claimId}', '/blind-topics/{topic}', '/derivation-suggestions/{id}/dismiss', '/claims/{claimId}/evidence/attribution-suggestions/{id}/dismiss', '/weight-sets/fit', '/weight-sets/{id}/activate',
        '/alert-rules/{id}/test', '/alert-rules/{id}/deliveries/{deliveryId}/redeliver', '/inbox/read'].includes(path)) {
        expect({ route, body: Boolean(operation.requestBody) }).toEqual({ route, body: true });
      }
      const secured = (operation.security ?? []).length > 0;
      expect({ route, secured }).toEqual({ route, secured: !publicRoutes.includes(path) });
    }
  });
});
