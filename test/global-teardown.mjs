import pg from 'pg';

/** Drops every database this run created, then stops the embedded server if there is one. */
export default async function globalTeardown() {
  if (!process.env.TEST_RUN) return;
  const client = new pg.Client({ connectionString: process.env.TEST_SERVER_URL });
  await client.connect();
  const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${process.env.TEST_RUN}%`]);
  for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await client.end();
  await globalThis.embeddedTestDatabase?.stop();
}
