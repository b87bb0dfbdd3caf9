import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { freePort, poll } from './support/wait.js';

const run = promisify(execFile);

/**
 * `npm start` with no environment, as a user runs it: the embedded PostgreSQL, the seed,
 * the demo credentials, the command-line tools beside it, and every way it can end.
 */
describe('the embedded default', () => {
  let dir: string;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'claimtrack-embedded-'));
    await chmod(dir, 0o755);
    env = { ...process.env, EMBEDDED_PG_DIR: join(dir, 'pg'), SHUTDOWN_GRACE_MS: '0' };
    for (const name of ['DATABASE_URL', 'JWT_SECRET', 'EMBEDDED_DATABASE', 'NODE_ENV', 'LOG_LEVEL', 'DEMO_PASSWORD', 'DEMO_API_KEY']) delete env[name];
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  interface Service {
    process: ChildProcess;
    base: string;
    output: () => string;
    exited: Promise<number | null>;
  }

  /** Starts the service in a process group of its own, as a terminal would. */
  async function start(): Promise<Service> {
    const port = await freePort();
    const child = spawn('node', ['dist/main.js'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    const ready = await poll(() => fetch(`${base}/health/ready`).then((r) => r.status, () => 0), (status) => status === 200 || child.exitCode !== null, 60_000);
    if (ready !== 200) throw new Error(`not ready (${ready}): ${output}`);
    return { process: child, base, output: () => output, exited };
  }

  const postgresRunning = async () => (await run('ps', ['-eo', 'args'])).stdout.includes(dir);
  const signIn = (base: string, email: string, password: string) =>
    fetch(`${base}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) }).then((r) => r.status);
  const passwordIn = (text: string, email: string) => new RegExp(`${email.replace('.', '\\.')}\\s+(\\S{12,})`).exec(text)?.[1];

  it('serves seeded data, writes the demo credentials to an owner-only file, and shows a short banner', async () => {
    const service = await start();
    try {
      const file = join(dir, 'demo-credentials.txt');
      const credentials = await readFile(file, 'utf8');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const password = passwordIn(credentials, 'analyst@claimtrack.local')!;
      expect(await signIn(service.base, 'analyst@claimtrack.local', password)).toBe(200);
      expect(credentials).toMatch(/API key \(read_confidence\): ct_\S+/);
      // The secrets are in the file, not in the output that terminals and log collectors keep.
      expect(service.output()).not.toContain(password);
      expect(service.output()).toMatch(/Seed: 5 sources, \d+ claims/);
      expect(service.output()).toContain(`Console:  http://127.0.0.1:${new URL(service.base).port}/`);
      expect(service.output()).toContain(`Demo sign-in: ${file}`);
      expect(service.output().split('\n').length).toBeLessThan(15);

      // The command-line tools work beside the running service, on its database, and leave it running.
      await run('node', ['dist/seed/cli.js'], { env });
      const reset = await run('node', ['dist/users/cli.js', 'reset-password', 'analyst@claimtrack.local'], { env });
      const newPassword = /New password for \S+: (\S+)/.exec(reset.stdout)![1];
      expect(await signIn(service.base, 'analyst@claimtrack.local', newPassword)).toBe(200);
      expect(await signIn(service.base, 'analyst@claimtrack.local', password)).toBe(401);
      expect(passwordIn(await readFile(file, 'utf8'), 'analyst@claimtrack.local')).toBe(newPassword);
      await run('node', ['dist/seed/cli.js'], { env: { ...env, DEMO_PASSWORD: 'demo-password-recovered' } });
      expect(await signIn(service.base, 'viewer@claimtrack.local', 'demo-password-recovered')).toBe(200);
      await expect(run('node', ['dist/users/cli.js', 'reset-password', 'nobody@example.org'], { env })).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('No user has the email nobody@example.org'),
      });
      expect((await fetch(`${service.base}/health/ready`)).status).toBe(200);

      // Ctrl-C in a terminal signals the whole process group: the service stops PostgreSQL itself, quickly.
      const started = Date.now();
      process.kill(-service.process.pid!, 'SIGINT');
      expect(await service.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(service.output()).toContain('Claimtrack stopped (SIGINT).');
      expect(service.output()).not.toMatch(/Change notifications lost|error/i);
      // The access log (JSON lines, flushed on the way out): the refused sign-in at warn, with its request id and no credentials.
      const refused = service.output().split('\n').filter((line) => line.includes('"url":"/auth/login"') && line.includes('"statusCode":401')).map((line) => JSON.parse(line));
      expect(refused[0]).toMatchObject({ level: 40, msg: 'request completed', reqId: expect.stringMatching(/^[0-9a-f-]{36}$/), req: { method: 'POST' } });
      expect(refused[0].reqId).toBe(refused[0].req.id);
      expect(service.output()).not.toContain(password);
      expect(await postgresRunning()).toBe(false);
    } finally {
      service.process.kill('SIGKILL');
    }
  }, 120_000);

  it('recovers from a PostgreSQL orphaned by a killed service, and stops on a closed terminal (SIGHUP)', async () => {
    const killed = await start();
    expect(killed.output()).not.toMatch(/Seed:|demo-credentials\.txt \(readable/);
    killed.process.kill('SIGKILL');
    await killed.exited;
    expect(await postgresRunning()).toBe(true);

    const service = await start();
    try {
      expect(service.output()).toMatch(/Stopping the embedded PostgreSQL \(pid \d+\) left running by a process that has ended/);
      process.kill(-service.process.pid!, 'SIGHUP');
      expect(await service.exited).toBe(0);
      expect(service.output()).toContain('Claimtrack stopped (SIGHUP).');
      expect(await postgresRunning()).toBe(false);
    } finally {
      service.process.kill('SIGKILL');
    }
  }, 120_000);

  it('removes a throwaway server\'s whole folder when it stops (as the test run\'s own does)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'claimtrack-throwaway-'));
    await chmod(folder, 0o755);
    const database = await startEmbeddedPostgres(folder, { database: 'throwaway', persistent: false });
    await database.stop();
    await expect(stat(folder)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);
});
