import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { freePort, pause, poll } from './support/wait.js';
import { webhookReceiver } from './support/webhook-receiver.js';

/**
 * Delivery across processes: a service killed (SIGKILL) between the commit and the delivery, and
 * two instances sharing the queue. The receivers are real HTTP servers on the loopback.
 */
describe('Alert delivery survives crashes and is shared by instances', () => {
  const jwtSecret = randomUUID() + randomUUID();

  /** The built service in a process of its own, on `databaseUrl`. */
  async function startService(databaseUrl: string, env: Record<string, string> = {}) {
    const port = await freePort();
    const child: ChildProcess = spawn('node', ['dist/main.js'], {
      // This process's environment holds the in-process apps' settings (ALERTS_WORKER=off among them): reset what matters.
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', JWT_SECRET: jwtSecret, ALERTS_WORKER: 'on', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    const ready = await poll(() => fetch(`${base}/health/ready`).then((r) => r.status, () => 0), (status) => status === 200 || child.exitCode !== null, 60_000);
    if (ready !== 200) throw new Error(`not ready (${ready}): ${output}`);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return { base, output: () => output, kill: async () => (child.kill('SIGKILL'), await exited) };
  }

  /** A database with an analyst, a claim and a webhook rule for its band crossings; the app that made them delivers nothing. */
  async function setUp(url: string) {
    const t = await createTestApp({ ALERTS_WORKER: 'off' });
    const analyst = await t.signIn('analyst');
    const make = fixtures(t, analyst.auth);
    const claim = await make.claim();
    await make.assess(claim.id, 0, { probability: 0.3 });
    const rule = await t.http
      .post('/alert-rules')
      .set('Authorization', analyst.auth)
      .send({ name: 'Crossings', claimIds: [claim.id], events: ['assessment.band_crossed'], webhookUrl: url })
      .expect(201);
    return { t, analyst, claim, secret: rule.body.secret as string };
  }

  /** Signs the analyst in at that service (its tokens are its own) and assesses the claim there. */
  async function assess(base: string, analyst: { email: string; password: string }, claimId: string, baseVersion: number, probability: number) {
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: analyst.email, password: analyst.password }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(`${base}/claims/${claimId}/assessments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ probability, confidence: 'moderate', rationale: 'Moved.', baseVersion }),
    });
    return res.status;
  }

  it('delivers an event committed by a service killed before it could send, once, after a restart', async () => {
    const receiver = await webhookReceiver();
    const { t, analyst, claim, secret } = await setUp(receiver.url);
    try {
      // This instance commits the change and dies; it was not to deliver (its worker is off), so nothing was sent.
      const writer = await startService(t.databaseUrl, { ALERTS_WORKER: 'off' });
      try {
        expect(await assess(writer.base, analyst, claim.id, 1, 0.9)).toBe(201);
      } finally {
        await writer.kill();
      }
      await pause(500);
      expect(receiver.received).toHaveLength(0);

      const restarted = await startService(t.databaseUrl);
      try {
        await poll(async () => receiver.received.length, (n) => n >= 1, 20_000, 50);
        await pause(1500);
        expect(receiver.received).toHaveLength(1);
        expect(() => receiver.verify(receiver.received[0], secret)).not.toThrow();
        expect(receiver.received[0].json.data).toMatchObject({ claim: { id: claim.id }, after: { probability: 0.9 } });
      } finally {
        await restarted.kill();
      }
    } finally {
      await t.close();
      await receiver.close();
    }
  }, 120_000);

  it('sends again, with the same message id, a delivery whose worker was killed in the middle of it', async () => {
    // The first request is held unanswered until the service that sent it is killed.
    let answerFirst: ((status: number) => void) | undefined;
    const receiver = await webhookReceiver(({ count }) => (count === 1 ? new Promise<number>((resolve) => (answerFirst = resolve)) : 200));
    const { t, analyst, claim } = await setUp(receiver.url);
    try {
      // Webhook requests time out after 1 s here, so that a job may be taken for dead after 2 s.
      const quick = { ALERT_TIMEOUT_MS: '1000', ALERT_STALE_LOCK_SECONDS: '2' };
      const first = await startService(t.databaseUrl, quick);
      try {
        expect(await assess(first.base, analyst, claim.id, 1, 0.9)).toBe(201);
        await poll(async () => answerFirst, (held) => held !== undefined, 20_000, 20);
      } finally {
        await first.kill();
      }
      answerFirst!(200); // to no one: the connection died with the service

      // The new instance finds the dead worker's job locked, releases it after the stale-lock time, and the
      // delivery's own job sends it again.
      const second = await startService(t.databaseUrl, quick);
      try {
        await poll(async () => receiver.received.length, (n) => n >= 2, 30_000, 50);
        await pause(1500);
        const ids = receiver.received.map((m) => m.id);
        expect(ids).toHaveLength(2);
        expect(new Set(ids).size).toBe(1);
        const log = await t.prisma.alertDelivery.findMany();
        expect(log).toMatchObject([{ status: 'delivered', attempts: 1, lastStatus: 200 }]);
      } finally {
        await second.kill();
      }
    } finally {
      await t.close();
      await receiver.close();
    }
  }, 120_000);

  it('delivers each of 1,000 events exactly once with two instances working the queue', async () => {
    const receiver = await webhookReceiver();
    const a = await createTestApp();
    let b: TestApp | undefined;
    try {
      b = await createTestApp({}, a);
      const analyst = await a.signIn('analyst');
      const make = fixtures(a, analyst.auth);
      const claims = await Promise.all(Array.from({ length: 50 }, () => make.claim()));
      await a.http
        .post('/alert-rules')
        .set('Authorization', analyst.auth)
        .send({ name: 'Every move', claimIds: claims.map((c) => c.id), events: ['assessment.moved'], minMovePoints: 10, webhookUrl: receiver.url })
        .expect(201);
      // 50 claims × 21 versions, written through both instances: 1,000 moves of 30 points (the first version moves nothing).
      await Promise.all(
        claims.map(async (claim, n) => {
          for (let version = 0; version <= 20; version++) {
            const instance = (n + version) % 2 ? a : b!;
            await instance.http
              .post(`/claims/${claim.id}/assessments`)
              .set('Authorization', analyst.auth)
              .send({ probability: version % 2 ? 0.7 : 0.4, confidence: 'low', rationale: 'Back and forth.', baseVersion: version })
              .expect(201);
          }
        }),
      );
      await poll(async () => receiver.received.length, (count) => count >= 1000, 60_000, 100);
      await pause(2000);
      const ids = receiver.received.map((m) => m.json.data.eventId as string);
      expect(receiver.received).toHaveLength(1000);
      expect(new Set(ids).size).toBe(1000);
      expect(new Set(receiver.received.map((m) => m.id)).size).toBe(1000);
    } finally {
      await b?.close();
      await a.close();
      await receiver.close();
    }
  }, 180_000);
});
