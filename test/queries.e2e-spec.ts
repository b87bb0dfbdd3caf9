import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { QUERIES } from '../src/database/query.js';
import { createTestDatabase } from './support/test-app.js';

/** Every repository, so that every statement defined with defineQuery is in QUERIES. */
async function loadRepositories(dir = 'src'): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await loadRepositories(path);
    else if (entry.name.endsWith('.repository.ts')) await import(`../${path.replace(/\.ts$/, '.js')}`);
  }
}

/**
 * The contract between hand-written SQL and its row types: each statement runs on the
 * migrated schema (with every parameter null, in a transaction rolled back) and must
 * return exactly the columns its row type declares.
 */
describe('hand-written SQL', () => {
  let database: { url: string; drop(): Promise<void> };
  let client: pg.Client;
  beforeAll(async () => {
    await loadRepositories();
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('is defined in repositories', () => {
    expect(QUERIES.length).toBeGreaterThan(5);
  });

  it('returns exactly the columns each statement\'s row type declares', async () => {
    for (const query of QUERIES) {
      const parameters = Math.max(0, ...[...query.text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
      await client.query('BEGIN');
      try {
        const result = await client.query({ text: query.text, values: Array(parameters).fill(null) });
        expect({ query: query.name, columns: result.fields.map((field) => field.name).sort() }).toEqual({ query: query.name, columns: [...query.columns].sort() });
      } finally {
        await client.query('ROLLBACK');
      }
    }
  });
});
