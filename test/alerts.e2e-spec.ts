import { fixtures, type Fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { pause, poll } from './support/wait.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RESPONSE_LIMIT, sendWebhook } from '../src/alerts/webhook-sender.js';
import { randomSecret } from '../src/alerts/webhook-secret.js';
import { webhookReceiver } from './support/webhook-receiver.js';

type Session = Awaited<ReturnType<TestApp['signIn']>>;
type Receiver = Awaited<ReturnType<typeof webhookReceiver>>;

describe('Alerts: rules, signed webhooks, retries and the inbox', () => {
  let t: TestApp;
  let analyst: Session;
  let make: Fixtures;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    // Quick retries and review scans, so the test need not wait for the real schedule.
    t = await createTestApp({ ALERT_RETRY_BASE_MS: '50', ALERT_REVIEW_SCAN_SECONDS: '1' });
    analyst = await t.signIn('analyst');
    make = fixtures(t, analyst.auth);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function receiver(answer?: Parameters<typeof webhookReceiver>[0]) {
    const r = await webhookReceiver(answer);
    receivers.push(r);
    return r;
  }

  async function rule(body: Record<string, unknown>, auth = analyst.auth) {
    const res = await t.http.post('/alert-rules').set('Authorization', auth).send({ name: 'A rule', ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret?: string; [key: string]: unknown };
  }

  /** Waits until the receiver has `n` requests, then a little longer to show nothing more comes. */
  async function requests(r: Receiver, n: number, settleMs = 600) {
    await poll(async () => r.received.length, (count) => count >= n, 15_000, 50);
    await pause(settleMs);
    return r.received;
  }

  it('tells one band crossing for 0.75 → 0.82 and none for 0.82 → 0.85, signed as Standard Webhooks says', async () => {
    const r = await receiver();
    const claim = await make.claim();
    const { secret } = await rule({ claimIds: [claim.id], events: ['assessment.band_crossed'], webhookUrl: r.url });
    expect(secret).toMatch(/^whsec_/);

    await make.assess(claim.id, 0, { probability: 0.75 });
    await make.assess(claim.id, 1, { probability: 0.82 });
    await make.assess(claim.id, 2, { probability: 0.85 });
    const [message, ...more] = await requests(r, 1, 1500);
    expect(more).toHaveLength(0);

    // Verified by the standardwebhooks package, not by our code; a tampered body fails.
    expect(() => r.verify(message, secret!)).not.toThrow();
    expect(() => r.verify({ ...message, body: message.body.replace('0.82', '0.83') }, secret!)).toThrow();
    expect(Math.abs(Number(message.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);

    expect(message.json.type).toBe('assessment.revised');
    expect(message.json.data).toMatchObject({
      triggers: ['assessment.band_crossed'],
      claim: { id: claim.id, statement: claim.statement },
      before: { version: 1, probability: 0.75, estimativeTerm: 'likely' },
      after: { version: 2, probability: 0.82, estimativeTerm: 'very likely', confidence: 'moderate' },
      actor: { id: analyst.id, name: 'Test analyst' },
      cause: 'assessment',
    });
    expect(message.json.data.claim.url).toMatch(new RegExp(`/#/claims/${claim.id}$`));
    expect(message.json.data.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries a receiver that answers 500 three times: the same message four times, then nothing more', async () => {
    const r = await receiver(({ count }) => (count <= 3 ? 500 : 200));
    const claim = await make.claim();
    const created = await rule({ claimIds: [claim.id], events: ['assessment.moved'], minMovePoints: 5, webhookUrl: r.url });
    await make.assess(claim.id, 0, { probability: 0.3 });
    await make.assess(claim.id, 1, { probability: 0.4 });

    const received = await requests(r, 4, 1500);
    expect(received.map((m) => m.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(received.map((m) => m.id)).size).toBe(1);
    expect(new Set(received.map((m) => m.json.data.eventId)).size).toBe(1);

    const log = await t.http.get(`/alert-rules/${created.id}/deliveries`).set('Authorization', analyst.auth).expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ id: received[0].id, status: 'delivered', attempts: 4, lastStatus: 200, lastResponse: 'answered 200' });
  });

  it('disables a rule whose receiver answers 410 Gone: nothing more is sent', async () => {
    const r = await receiver(() => 410);
    const claim = await make.claim();
    const created = await rule({ claimIds: [claim.id], events: ['assessment.moved'], minMovePoints: 1, webhookUrl: r.url });
    await make.assess(claim.id, 0, { probability: 0.3 });
    await make.assess(claim.id, 1, { probability: 0.5 });
    await requests(r, 1);
    const after = await t.http.get(`/alert-rules/${created.id}`).set('Authorization', analyst.auth).expect(200);
    expect(after.body).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });

    await make.assess(claim.id, 2, { probability: 0.7 });
    await pause(1000);
    expect(r.received).toHaveLength(1);
    const log = await t.http.get(`/alert-rules/${created.id}/deliveries`).set('Authorization', analyst.auth).expect(200);
    expect(log.body.items).toMatchObject([{ status: 'failed', attempts: 1, lastStatus: 410 }]);
  });

  it('marks a delivery failed when its retry period runs out, and sends it again on request', async () => {
    const short = await createTestApp({ ALERT_RETRY_HOURS: '0' });
    try {
      const owner = await short.signIn('analyst');
      const here = fixtures(short, owner.auth);
      let up = false;
      const r = await receiver(() => (up ? 200 : 503));
      const claim = await here.claim();
      const created = (await short.http.post('/alert-rules').set('Authorization', owner.auth).send({ name: 'Contradictions', claimIds: [claim.id], events: ['evidence.contradicting'], webhookUrl: r.url }).expect(201)).body;
      await here.evidence(claim.id, (await here.source()).id, { stance: 'contradicts' });
      const deliveries = (auth: string, query = '') => short.http.get(`/alert-rules/${created.id}/deliveries${query}`).set('Authorization', auth);
      const failed = await poll(async () => (await deliveries(owner.auth, '?status=failed')).body.items as { id: string }[], (items) => items.length === 1, 10_000);
      expect(failed[0]).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 503, lastResponse: 'answered 503' });

      // Someone else's rule and delivery do not exist for them.
      const other = await short.signIn('analyst');
      await short.http.post(`/alert-rules/${created.id}/deliveries/${failed[0].id}/redeliver`).set('Authorization', other.auth).expect(404);
      await deliveries(other.auth).expect(404);

      up = true;
      const again = await short.http.post(`/alert-rules/${created.id}/deliveries/${failed[0].id}/redeliver`).set('Authorization', owner.auth).expect(202);
      expect(again.body.status).toBe('pending');
      const received = await requests(r, 2);
      expect(received.map((m) => m.status)).toEqual([503, 200]);
      expect(received[1].id).toBe(failed[0].id);
      expect(received[1].json).toMatchObject({ type: 'evidence.added', data: { triggers: ['evidence.contradicting'], after: { stance: 'contradicts' } } });
      expect((await deliveries(owner.auth)).body.items[0]).toMatchObject({ status: 'delivered', attempts: 2 });
      await short.http.post(`/alert-rules/${created.id}/deliveries/${failed[0].id}/redeliver`).set('Authorization', owner.auth).expect(409);
    } finally {
      await short.close();
    }
  });

  it('tells evidence, regrades, resolutions and due reviews to the rules that ask', async () => {
    const r = await receiver();
    const claim = await make.claim({ topics: ['alerts-topic'] });
    await rule({
      topic: 'Alerts-Topic',
      events: ['evidence.supporting', 'source.regraded', 'claim.resolved', 'claim.review_due', 'evidence_probability.band_crossed'],
      webhookUrl: r.url,
    });
    const source = await make.source({ reliability: 'C' });
    await make.evidence(claim.id, source.id, { stance: 'supports', credibility: 1, diagnosticity: 9 });
    await t.http.patch(`/sources/${source.id}`).set('Authorization', analyst.auth).send({ reliability: 'A' }).expect(200);
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', analyst.auth).send({ reviewBy: new Date(Date.now() - 1000).toISOString() }).expect(200);
    await requests(r, 4, 2000);
    expect(r.received.map((m) => m.json.type)).toContain('claim.review_due');
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', analyst.auth).send({ outcome: true, resolvedAt: new Date().toISOString() }).expect(200);
    const received = await requests(r, 5, 1500);

    const byType = Object.fromEntries(received.map((m) => [m.json.type, m.json.data]));
    const weighings = received.filter((m) => m.json.type === 'evidence_probability.changed').map((m) => m.json.data);
    expect(Object.keys(byType).sort()).toEqual(['claim.resolved', 'claim.review_due', 'evidence.added', 'evidence_probability.changed', 'source.regraded']);
    expect(byType['evidence.added']).toMatchObject({ after: { stance: 'supports', sourceId: source.id, reliability: 'C' }, actor: { id: analyst.id } });
    expect(weighings[0]).toMatchObject({ triggers: ['evidence_probability.band_crossed'], cause: 'evidence', before: { probability: 0.5 } });
    expect(byType['source.regraded']).toMatchObject({ before: { reliability: 'C' }, after: { reliability: 'A' }, cause: 'source-grade' });
    expect(byType['claim.resolved']).toMatchObject({ after: { status: 'resolved_true' }, actor: { id: analyst.id } });
    expect(byType['claim.review_due'].after.reviewBy).toBeDefined();

    // Due for review once per due date: the claim is listed, and the event is not repeated.
    const due = await t.http.get('/claims?reviewDue=true').set('Authorization', analyst.auth).expect(200);
    expect(due.body.items.map((c: { id: string }) => c.id)).toContain(claim.id);
    await pause(2000);
    expect(r.received.filter((m) => m.json.type === 'claim.review_due')).toHaveLength(1);
  });

  it('puts watched claims in the inbox, with an unread count, and sends a signed ping on request', async () => {
    const viewer = await t.signIn('viewer');
    const claim = await make.claim();
    const watch = await rule({ claimIds: [claim.id], events: ['assessment.band_crossed', 'evidence.contradicting'] }, viewer.auth);
    expect(watch).toMatchObject({ inbox: true, webhookUrl: null });
    expect(watch.secret).toBeUndefined();
    await make.assess(claim.id, 0, { probability: 0.3 });
    await make.assess(claim.id, 1, { probability: 0.6 });
    const inbox = await poll(
      async () => (await t.http.get('/inbox').set('Authorization', viewer.auth)).body,
      (body: { unread: number; items: { id: string }[] }) => body.unread === 1,
      10_000,
    );
    expect(inbox.items[0]).toMatchObject({ type: 'assessment.revised', claim: { id: claim.id }, before: { estimativeTerm: 'unlikely' }, after: { estimativeTerm: 'likely' }, readAt: null });
    await t.http.patch(`/inbox/${inbox.items[0].id}`).set('Authorization', viewer.auth).send({ read: true }).expect(204);
    expect((await t.http.get('/inbox?unread=true').set('Authorization', viewer.auth).expect(200)).body).toMatchObject({ items: [], unread: 0 });
    // Not the analyst's inbox, and not their item.
    expect((await t.http.get('/inbox').set('Authorization', analyst.auth).expect(200)).body.unread).toBe(0);
    await t.http.patch(`/inbox/${inbox.items[0].id}`).set('Authorization', analyst.auth).send({ read: false }).expect(404);

    const r = await receiver();
    const hooked = await rule({ events: ['claim.resolved'], webhookUrl: r.url });
    const ping = await t.http.post(`/alert-rules/${hooked.id}/test`).set('Authorization', analyst.auth).expect(200);
    expect(ping.body).toMatchObject({ ok: true, status: 200 });
    expect(r.received[0].json.type).toBe('ping');
    expect(() => r.verify(r.received[0], hooked.secret!)).not.toThrow();
  });

  it('never answers a secret again, and keeps rules to their owners', async () => {
    const r = await receiver();
    const created = await rule({ events: ['claim.resolved'], webhookUrl: r.url });
    const read = await t.http.get(`/alert-rules/${created.id}`).set('Authorization', analyst.auth).expect(200);
    expect(read.body.secret).toBeUndefined();
    expect(JSON.stringify((await t.http.get('/alert-rules').set('Authorization', analyst.auth).expect(200)).body)).not.toContain('whsec_');
    // A new URL gets a new secret, answered once; pausing and enabling again.
    const moved = await t.http.patch(`/alert-rules/${created.id}`).set('Authorization', analyst.auth).send({ webhookUrl: `${r.url}/v2` }).expect(200);
    expect(moved.body.secret).toMatch(/^whsec_/);
    expect(moved.body.secret).not.toBe(created.secret);
    const paused = await t.http.patch(`/alert-rules/${created.id}`).set('Authorization', analyst.auth).send({ enabled: false }).expect(200);
    expect(paused.body.enabled).toBe(false);
    expect(paused.body).not.toHaveProperty('secret');
    expect((await t.http.patch(`/alert-rules/${created.id}`).set('Authorization', analyst.auth).send({ enabled: true }).expect(200)).body.enabled).toBe(true);
    await t.http.patch(`/alert-rules/${created.id}`).set('Authorization', analyst.auth).send({ events: ['assessment.moved'] }).expect(422);
    const other = await t.signIn('analyst');
    await t.http.get(`/alert-rules/${created.id}`).set('Authorization', other.auth).expect(404);
    await t.http.delete(`/alert-rules/${created.id}`).set('Authorization', other.auth).expect(404);
    const admin = await t.signIn('admin');
    await t.http.get(`/alert-rules/${created.id}`).set('Authorization', admin.auth).expect(404);
    const integration = await rule({ integration: true, events: ['claim.resolved'], webhookUrl: r.url }, admin.auth);
    expect(integration.owner).toBeNull();
    await t.http.post('/alert-rules').set('Authorization', analyst.auth).send({ name: 'x', integration: true, events: ['claim.resolved'], webhookUrl: r.url }).expect(403);
  });

  it('refuses bad rules with a clear 4xx and stores nothing', async () => {
    const claim = await make.claim();
    const before = await t.prisma.alertRule.count();
    const bad: [Record<string, unknown>, number, string][] = [
      [{ events: ['claim.exploded'] }, 400, 'events'],
      [{ events: [] }, 400, 'events'],
      [{ events: ['assessment.moved'], minMovePoints: 0 }, 400, 'minMovePoints'],
      [{ events: ['assessment.moved'], minMovePoints: 101 }, 400, 'minMovePoints'],
      [{ events: ['assessment.moved'] }, 422, 'minMovePoints'],
      [{ events: ['claim.resolved'], webhookUrl: 'not a url' }, 422, 'webhookUrl'],
      [{ events: ['claim.resolved'], webhookUrl: 'http://example.org/hook' }, 422, 'webhookUrl'],
      [{ events: ['claim.resolved'], webhookUrl: 'ftp://127.0.0.1/hook' }, 422, 'webhookUrl'],
      [{ events: ['claim.resolved'], claimIds: [claim.id, '00000000-0000-4000-8000-000000000000'] }, 422, 'claimIds'],
      [{ events: ['claim.resolved'], claimIds: ['nope'] }, 400, 'claimIds'],
      [{ events: ['claim.resolved'], inbox: false }, 422, 'inbox'],
    ];
    for (const [body, status, field] of bad) {
      const res = await t.http.post('/alert-rules').set('Authorization', analyst.auth).send({ name: 'Bad', ...body });
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await t.prisma.alertRule.count()).toBe(before);
  });
});

describe('Alerts outside development: webhooks to private addresses are refused (SSRF)', () => {
  it('accepts them where the deployment allows its own network (ALERT_PRIVATE_NETWORKS=true)', async () => {
    const own = await createTestApp({ NODE_ENV: 'production', ALERTS_WORKER: 'off', ALERT_PRIVATE_NETWORKS: 'true' });
    try {
      const analyst = await own.signIn('analyst');
      await own.http.post('/alert-rules').set('Authorization', analyst.auth).send({ name: 'Internal SIEM', events: ['claim.resolved'], webhookUrl: 'http://127.0.0.1:9/hook' }).expect(201);
    } finally {
      await own.close();
    }
  });

  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ NODE_ENV: 'production', ALERTS_WORKER: 'off' });
  });
  afterAll(() => t.close());

  it.each([
    'http://127.0.0.1:9/hook',
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://10.1.2.3/hook',
    'https://192.168.0.10/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[fd00::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://user:pw@example.org/hook',
  ])('refuses %s', async (webhookUrl) => {
    const admin = await t.signIn('analyst');
    const res = await t.http.post('/alert-rules').set('Authorization', admin.auth).send({ name: 'SSRF', events: ['claim.resolved'], webhookUrl });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('webhookUrl');
    expect(await t.prisma.alertRule.count()).toBe(0);
  });
});

describe('Webhook requests: redirects, large answers, time limits, and addresses checked when connecting', () => {
  /** A loopback server answering every request with `handler`, and how many it got. */
  async function server(handler: Parameters<typeof createServer>[1]) {
    let hits = 0;
    const s = createServer((req, res) => {
      hits++;
      handler!(req, res);
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`, hits: () => hits, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
  }
  const send = (url: string, options = { timeoutMs: 2000, privateAddresses: true }) => sendWebhook(url, randomSecret(), 'msg_1', '{"type":"ping"}', options);

  it('does not follow a redirect: the 3xx is the answer', async () => {
    const target = await server((_req, res) => res.end('moved here'));
    const redirecting = await server((_req, res) => res.writeHead(307, { location: target.url }).end());
    try {
      expect(await send(redirecting.url)).toMatchObject({ status: 307, error: null });
      expect(target.hits()).toBe(0);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });

  it('reads at most 64 KB of an answer', async () => {
    const chatty = await server((_req, res) => res.end('x'.repeat(1024 * 1024)));
    try {
      const result = await send(chatty.url);
      expect(result.status).toBe(200);
      expect(result.body.length).toBe(RESPONSE_LIMIT);
    } finally {
      await chatty.close();
    }
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const silent = await server(() => undefined);
    try {
      const started = Date.now();
      expect(await send(silent.url, { timeoutMs: 300, privateAddresses: true })).toMatchObject({ status: null, error: 'no answer within 300 ms' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await silent.close();
    }
  });

  it('refuses, when connecting, a private address or a name that resolves to one (outside development)', async () => {
    const inside = await server((_req, res) => res.end('ok'));
    try {
      const port = new URL(inside.url).port;
      for (const url of [inside.url, `http://localhost:${port}/hook`]) {
        const result = await send(url, { timeoutMs: 2000, privateAddresses: false });
        expect(result).toMatchObject({ status: null, error: expect.stringMatching(/private, loopback or link-local/) });
      }
      expect(inside.hits()).toBe(0);
    } finally {
      await inside.close();
    }
  });
});
