// Shared by the benchmark and the soak test: a database with a generated dataset,
// the service started on it in production mode, and what clients need to call it.
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { hashPassword, newApiKey, randomToken, sha256 } from '../dist/auth/secrets.js';
import { startEmbeddedPostgres } from '../dist/database/embedded-postgres.js';
import { applyMigrations } from '../dist/database/migrator.js';
import { datasetSql } from './sql.mjs';

export const log = (...args) => console.error('[bench]', ...args);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready`);
}

/** Ends a child process and waits for it to exit. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

export async function rss(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
}

/** A fresh database (on DATABASE_URL's server, or an embedded one) with `claims` generated claims. */
export async function prepareDatabase({ claims, evidencePerClaim, versions }) {
  let serverUrl = process.env.DATABASE_URL;
  let embedded;
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'claimtrack-bench-'));
    await chmod(dir, 0o755);
    embedded = await startEmbeddedPostgres(dir, { database: 'postgres', persistent: false });
    serverUrl = embedded.url;
  }
  const dbName = `claimtrack_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const children = [];

  await applyMigrations(databaseUrl);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const analystId = randomUUID();
  const adminId = randomUUID();
  const password = randomToken(16);
  await db.query(
    `INSERT INTO users (id, email, name, role, password_hash, updated_at) VALUES
       ($1, 'bench.analyst@claimtrack.local', 'Bench Analyst', 'analyst', $3, now()),
       ($2, 'bench.admin@claimtrack.local', 'Bench Admin', 'admin', $3, now())`,
    [analystId, adminId, await hashPassword(password)],
  );
  const apiKey = newApiKey();
  await db.query(
    `INSERT INTO api_keys (id, name, prefix, key_hash, scopes, created_by_id) VALUES ($1, 'bench', $2, $3, '{read_confidence,read_all}', $4)`,
    [randomUUID(), apiKey.prefix, sha256(apiKey.key), adminId],
  );
  const started = Date.now();
  for (const sql of datasetSql({ claims, evidencePerClaim, versions, authorId: analystId })) await db.query(sql);
  const ids = (await db.query('SELECT id FROM claims')).rows.map((row) => row.id);
  const counts = (
    await db.query(
      'SELECT (SELECT count(*) FROM claims)::int AS claims, (SELECT count(*) FROM evidence)::int AS evidence, (SELECT count(*) FROM assessments)::int AS assessments, (SELECT count(*) FROM estimates)::int AS estimates',
    )
  ).rows[0];
  const buildSeconds = Number(((Date.now() - started) / 1000).toFixed(1));
  log(`dataset: ${counts.claims} claims, ${counts.evidence} evidence, ${counts.assessments} assessment versions, ${counts.estimates} estimates in ${buildSeconds} s`);

  return {
    db,
    analystId,
    databaseUrl,
    embedded: Boolean(embedded),
    ids,
    counts,
    buildSeconds,
    apiKey: apiKey.key,
    /**
     * The service in production mode; BENCH_NODE_ARGS passes flags to its node (e.g. "--cpu-prof").
     * `readyMs`: from spawning node to the readiness probe answering; `stop()` ends it (SIGTERM).
     */
    async startService() {
      const port = await freePort();
      const spawned = performance.now();
      const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
      const app = spawn('node', [...nodeArgs, 'dist/main.js'], {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          JWT_SECRET: randomToken(32),
          PORT: String(port),
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
          LOGIN_THROTTLE_LIMIT: '100000',
          // Signed in once at start; a run at size 10 lasts longer than the default 15 minutes.
          ACCESS_TOKEN_TTL_SECONDS: '86400',
          SHUTDOWN_GRACE_MS: '0',
          // Scenario 12's webhook receiver is on the loopback.
          ALERT_PRIVATE_NETWORKS: 'true',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(app);
      const base = `http://127.0.0.1:${port}`;
      await waitFor(`${base}/health/ready`, 600_000);
      const readyMs = Math.round(performance.now() - spawned);
      const signIn = (email) =>
        fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
          .then((res) => res.json())
          .then((body) => body.accessToken);
      return {
        base,
        pid: app.pid,
        readyMs,
        token: await signIn('bench.analyst@claimtrack.local'),
        adminToken: await signIn('bench.admin@claimtrack.local'),
        stop: () => stopChild(app),
      };
    },
    /** A baseline server (bench/baseline.mjs) on this database, ready; BASELINE_NODE_ARGS passes flags to its node; `stop()` ends it. */
    async startBaseline() {
      const port = await freePort();
      const baseline = fork(new URL('./baseline.mjs', import.meta.url), {
        env: { DATABASE_URL: databaseUrl, PORT: String(port), AUTHOR_ID: analystId },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        execArgv: (process.env.BASELINE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      });
      children.push(baseline);
      await new Promise((resolve, reject) => {
        baseline.once('message', resolve);
        baseline.once('exit', (code) => reject(new Error(`the baseline server exited (${code})`)));
      });
      return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(baseline) };
    },
    async cleanup() {
      for (const child of children) child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await db.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
      await admin.end();
      await embedded?.stop();
    },
  };
}
