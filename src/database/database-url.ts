import { resolve } from 'node:path';
import { startEmbeddedPostgres, type RunningDatabase } from './embedded-postgres.js';

/** Where the embedded PostgreSQL keeps its data when no DATABASE_URL is given. */
export const EMBEDDED_DATA_DIR = resolve(import.meta.dirname, '../../.data/postgres');

/** The database at `DATABASE_URL`, or an embedded PostgreSQL when it is unset. */
export async function resolveDatabase(log?: (line: string) => void): Promise<RunningDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, embedded: false, stop: async () => undefined };
  return startEmbeddedPostgres(process.env.EMBEDDED_PG_DIR ?? EMBEDDED_DATA_DIR, {
    database: 'claimtrack',
    persistent: true,
    log,
  });
}
