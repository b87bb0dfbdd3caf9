import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { hashPassword, newApiKey, sha256 } from '../src/auth/secrets.js';
import { startEmbeddedPostgres, type RunningDatabase } from '../src/database/embedded-postgres.js';
import { applyMigrations } from '../src/database/migrator.js';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app.js';
import { freePort, poll, pause } from './support/wait.js';

describe('the database going away', () => {
  let dir: string;
  let port: number;
  let database: RunningDatabase;
  let t: TestApp;
  let auth: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'claimtrack-faults-'));
    await chmod(dir, 0o755);
    port = await freePort();
    database = await startEmbeddedPostgres(dir, { database: 'claimtrack', persistent: true, port });
    await applyMigrations(database.url);
    t = await createTestApp({}, { databaseUrl: database.url });
    auth = (await t.signIn('analyst')).auth;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await database?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 fast while it is down, and recovers by itself when it is back', async () => {
    await t.http.post('/claims').set('Authorization', auth).send({ statement: 'Written before the outage' }).expect(201);
    await database.stop();

    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toMatch(/application\/problem\+json/);
    for (const request of [() => t.http.get('/claims').set('Authorization', auth), () => t.http.post('/claims').set('Authorization', auth).send({ statement: 'During the outage' })]) {
      const started = Date.now();
      const res = await request();
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(Date.now() - started).toBeLessThan(5_000);
    }

    database = await startEmbeddedPostgres(dir, { database: 'claimtrack', persistent: true, port });
    const back = await poll(() => t.http.get('/health/ready'), (res) => res.status === 200, 15_000);
    expect(back.status).toBe(200);
    const list = await poll(() => t.http.get('/claims').set('Authorization', auth), (res) => res.status === 200, 10_000);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { statement: string }) => c.statement)).toEqual(['Written before the outage']);
  }, 60_000);
});

describe('SIGTERM', () => {
  it('finishes the requests in flight, stops taking new ones and exits 0', async () => {
    const database = await createTestDatabase();
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const adminId = randomUUID();
    const key = newApiKey();
    await db.query(`INSERT INTO users (id, email, name, role, password_hash, updated_at) VALUES ($1, 'sigterm@example.org', 'S', 'admin', $2, now())`, [
      adminId,
      await hashPassword('unused-password-123'),
    ]);
    await db.query(`INSERT INTO api_keys (id, name, prefix, key_hash, scopes, created_by_id) VALUES ($1, 'k', $2, $3, '{read_all}', $4)`, [
      randomUUID(),
      key.prefix,
      sha256(key.key),
      adminId,
    ]);
    await db.end();
    const port = await freePort();
    const app = spawn('node', ['dist/main.js'], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'silent', SHUTDOWN_GRACE_MS: '2000', JWT_SECRET: randomUUID() + randomUUID() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    app.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => app.on('exit', (code) => resolve(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await poll(() => fetch(`${base}/health/ready`).then((r) => r.status, () => 0), (status) => status === 200, 20_000);
      const inFlight = Array.from({ length: 10 }, () =>
        fetch(`${base}/reports/claims?format=html`, { headers: { 'X-API-Key': key.key } }).then(async (res) => ({ status: res.status, body: await res.text() })),
      );
      await pause(30);
      app.kill('SIGTERM');
      // While draining (2 s here: the service is busy with ten reports, and CI machines are slow), readiness fails but requests are still served.
      const draining = await poll(() => fetch(`${base}/health/ready`).then((r) => r.status, () => 0), (status) => status === 503, 1_800, 25);
      expect(draining).toBe(503);
      const results = await Promise.all(inFlight).catch((error: Error) => {
        throw new Error(`${error.message} (${String(error.cause)}); service said: ${output}`);
      });
      for (const result of results) {
        expect(result.status).toBe(200);
        expect(result.body.trim().endsWith('</html>')).toBe(true);
      }
      expect(await exited).toBe(0);
      await expect(fetch(`${base}/health`)).rejects.toThrow();
    } finally {
      app.kill('SIGKILL');
      await database.drop();
    }
  }, 60_000);
});
