import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { Logger as QueueLogger, runMigrations as runQueueMigrations } from 'graphile-worker';
import pg from 'pg';

/**
 * Prisma's schema engine, run as WebAssembly because the native engine cannot be
 * downloaded on our machines. Applying migrations records them in `_prisma_migrations`
 * with Prisma's checksums, so the native `prisma migrate deploy` sees them as applied.
 */
export const PRISMA_DIR = resolve(import.meta.dirname, '../../prisma');
const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');
const SCHEMA_PATH = join(PRISMA_DIR, 'schema.prisma');
/** Copy of schema.prisma as of each migration, so the next one is a datamodel diff. */
const SNAPSHOT_FILE = 'schema.prisma';
const NO_FILTER = { externalTables: [], externalEnums: [] };

type Engine = SchemaEngine;
// Node's global WebAssembly; @types/node 20 does not declare it.
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
let engineClass: Promise<typeof import('@prisma/schema-engine-wasm').SchemaEngine> | undefined;

async function loadEngineClass() {
  // The package's glue targets bundlers; instantiate its WebAssembly module by hand.
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = join(
    import.meta.dirname,
    '../../node_modules/@prisma/schema-engine-wasm/schema_engine_bg.wasm',
  );
  // The engine arms 10 s timers (lock and query time-outs) that would keep a CLI
  // process alive after its work is done; unref them.
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, fn] of Object.entries(glue)) {
    if (name.startsWith('__wbg_setTimeout_')) {
      imports[name] = (...args: unknown[]) => ((fn as (...a: unknown[]) => NodeJS.Timeout)(...args)).unref();
    }
  }
  const { instance } = await wasm.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': imports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue.SchemaEngine;
}

/**
 * The pg adapter, but running a migration script whole, as `prisma migrate deploy` does:
 * the adapter's own `executeScript` cuts it at every `;`, which would cut a function
 * body apart (PostgreSQL's simple query protocol takes several statements at once, and
 * runs them as one transaction).
 */
class WholeScriptPg extends PrismaPg {
  constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  override async connect() {
    const adapter = await super.connect();
    adapter.executeScript = async (script: string) => {
      await this.pool.query(script);
    };
    return adapter;
  }
}

async function withEngine<T>(
  connectionString: string,
  datamodel: string | undefined,
  fn: (engine: Engine) => Promise<T>,
): Promise<T> {
  engineClass ??= loadEngineClass();
  const SchemaEngine = await engineClass;
  // Our own pool, so its connections are closed when we are done (the engine does not close them).
  const pool = new pg.Pool({ connectionString, max: 2 });
  const adapter = bindMigrationAwareSqlAdapterFactory(new WholeScriptPg(pool));
  try {
    const engine = await SchemaEngine.new(
      { datamodels: datamodel ? [[SCHEMA_PATH, datamodel]] : undefined },
      () => undefined,
      adapter,
    );
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

export async function listMigrations(): Promise<MigrationList> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: {
      path: 'migration_lock.toml',
      content: await readFile(join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8'),
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  } as MigrationList;
}

/**
 * Applies pending migrations, as `prisma migrate deploy` would, then graphile-worker's own
 * (its `graphile_worker` schema: the job queue the alerts outbox writes to). Returns the names of ours.
 */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const migrationsList = await listMigrations();
  const applied = await withEngine(connectionString, undefined, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return appliedMigrationNames;
  });
  // Our own connection, ended before we return (graphile-worker does not wait for the pool it makes).
  const pool = new pg.Pool({ connectionString, max: 1 });
  try {
    await runQueueMigrations({ pgPool: pool, logger: QUIET });
  } finally {
    await pool.end();
  }
  return applied;
}

const QUIET = new QueueLogger(() => () => undefined);

async function latestSnapshot(): Promise<string | undefined> {
  const { migrationDirectories } = await listMigrations();
  const latest = migrationDirectories.at(-1);
  return latest ? readFile(join(MIGRATIONS_DIR, latest.path, SNAPSHOT_FILE), 'utf8') : undefined;
}

/**
 * SQL that takes a database from the newest migration's schema to the current
 * schema.prisma; empty when they agree. The engine connects to the database, but a
 * datamodel-to-datamodel diff neither reads nor changes it.
 */
export async function pendingSchemaChange(connectionString: string): Promise<string> {
  const [previous, current] = await Promise.all([latestSnapshot(), readFile(SCHEMA_PATH, 'utf8')]);
  const target = (content: string) => ({
    tag: 'schemaDatamodel' as const,
    files: [{ path: SCHEMA_PATH, content }],
  });
  return withEngine(connectionString, current, async (engine) => {
    const { stdout } = await engine.diff({
      from: previous === undefined ? { tag: 'empty' } : target(previous),
      to: target(current),
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return stdout?.includes('-- This is an empty migration.') ? '' : (stdout ?? '');
  });
}

/** Writes `prisma/migrations/<timestamp>_<name>/` from the pending schema change. */
export async function createMigration(connectionString: string, name: string): Promise<string | undefined> {
  const sql = await pendingSchemaChange(connectionString);
  if (!sql.trim()) return undefined;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const dir = join(MIGRATIONS_DIR, `${stamp}_${slug || 'migration'}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'migration.sql'), sql);
  await writeFile(join(dir, SNAPSHOT_FILE), await readFile(SCHEMA_PATH, 'utf8'));
  return dir;
}
