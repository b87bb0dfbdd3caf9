// Plain ESM importing the build: Jest loads global setup outside its module
// system, where TypeScript sources and their `.js` specifiers do not resolve.
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../dist/database/embedded-postgres.js';
import { applyMigrations } from '../dist/database/migrator.js';

/**
 * Migrates one template database for this run; each test file then copies it
 * (CREATE DATABASE ... TEMPLATE), so files never share state. Uses DATABASE_URL's
 * server when set, otherwise an embedded PostgreSQL that lives for this run only.
 */
/**
 * The service's settings that a developer's shell may hold (a demo key, a public URL, a
 * proxy rule...): the tests set what they need, and must not inherit the rest.
 */
const SERVICE_SETTINGS = [
  'NODE_ENV', 'EMBEDDED_DATABASE', 'PORT', 'HOST', 'TRUST_PROXY', 'DATABASE_POOL_SIZE', 'DATABASE_WAIT_MS', 'LOG_LEVEL',
  'BODY_LIMIT', 'CORS_ORIGINS', 'PUBLIC_BASE_URL', 'JWT_SECRET', 'ACCESS_TOKEN_TTL_SECONDS', 'REFRESH_TOKEN_TTL_SECONDS',
  'SHUTDOWN_GRACE_MS', 'STREAM_HEARTBEAT_SECONDS', 'CONSENSUS_EXTREMIZING', 'LOGIN_THROTTLE_LIMIT', 'LOGIN_THROTTLE_ADDRESS_LIMIT',
  'LOGIN_THROTTLE_TTL_SECONDS', 'ALERTS_WORKER', 'ALERTS_CONCURRENCY', 'ALERT_RETRY_HOURS', 'ALERT_RETRY_BASE_MS', 'ALERT_TIMEOUT_MS',
  'ALERT_REVIEW_SCAN_SECONDS', 'ALERT_STALE_LOCK_SECONDS', 'ALERT_PRIVATE_NETWORKS', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'DEMO_PASSWORD', 'DEMO_API_KEY', 'EMBEDDED_PG_DIR',
];

export default async function globalSetup(globalConfig) {
  // Test workers start after this, with this process's environment.
  for (const name of SERVICE_SETTINGS) delete process.env[name];
  // `npm run test:unit` needs no database.
  if (globalConfig.selectProjects?.every((project) => project === 'unit')) return;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'claimtrack-test-'));
    await chmod(dir, 0o755);
    globalThis.embeddedTestDatabase = await startEmbeddedPostgres(dir, { database: 'postgres', persistent: false });
    serverUrl = globalThis.embeddedTestDatabase.url;
  }
  const run = `claimtrack_test_${Date.now().toString(36)}_${process.pid}`;
  const template = `${run}_template`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`CREATE DATABASE "${template}"`);
  await client.end();
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  await applyMigrations(templateUrl.toString());
  Object.assign(process.env, { TEST_SERVER_URL: serverUrl, TEST_RUN: run, TEST_TEMPLATE_DB: template });
}
