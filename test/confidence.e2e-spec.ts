import { pause, poll } from './support/wait.js';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { ConfidenceService } from '../src/confidence/confidence.service.js';
import type { ConfidenceQueryDto } from '../src/confidence/dto/confidence-query.dto.js';
import { fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Change {
  cursor: string;
  claimId: string;
  version: number;
}

describe('confidence for API clients', () => {
  let t: TestApp;
  let analyst: Awaited<ReturnType<TestApp['signIn']>>;
  let make: ReturnType<typeof fixtures>;
  let key: string;

  beforeAll(async () => {
    t = await createTestApp();
    analyst = await t.signIn('analyst');
    make = fixtures(t, analyst.auth);
    const admin = await t.signIn('admin');
    key = (await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'feed', scopes: ['read_confidence'] }).expect(201)).body.key;
  });
  afterAll(() => t.close());

  const readAll = async (since: string | undefined): Promise<{ items: Change[]; cursor: string }> => {
    const items: Change[] = [];
    let cursor = since;
    for (;;) {
      const res = await t.http
        .get('/confidence/changes')
        .query({ ...(cursor ? { since: cursor } : {}), limit: 50 })
        .set('X-API-Key', key)
        .expect(200);
      items.push(...res.body.items);
      if (res.body.items.length === 0) return { items, cursor: res.body.nextCursor };
      cursor = res.body.nextCursor;
    }
  };

  it('serves one claim\'s confidence with a strong ETag, 304 when unchanged, and a new ETag after an assessment', async () => {
    const source = await make.source();
    const claim = await make.claim();
    await make.evidence(claim.id, source.id);
    await make.evidence(claim.id, source.id, { stance: 'contradicts', quote: 'Beijing has repeatedly denied' });
    await make.assess(claim.id, 0, { probability: 0.82, confidence: 'high' });

    const res = await t.http.get(`/claims/${claim.id}/confidence`).set('X-API-Key', key).expect(200);
    expect(res.body).toMatchObject({
      claimId: claim.id,
      statement: claim.statement,
      probability: 0.82,
      estimativeTerm: 'very likely',
      confidence: 'high',
      version: 1,
      assessedById: analyst.id,
      assessedBy: 'Test analyst',
      supportingEvidence: 1,
      contradictingEvidence: 1,
    });
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    const notModified = await t.http.get(`/claims/${claim.id}/confidence`).set('X-API-Key', key).set('If-None-Match', res.headers.etag).expect(304);
    expect(notModified.text).toBe('');

    await make.assess(claim.id, 1, { probability: 0.3 });
    const changed = await t.http.get(`/claims/${claim.id}/confidence`).set('X-API-Key', key).set('If-None-Match', res.headers.etag).expect(200);
    expect(changed.body).toMatchObject({ version: 2, probability: 0.3, estimativeTerm: 'unlikely' });
    expect(changed.headers.etag).not.toBe(res.headers.etag);
  });

  it('answers the confidence in force at asOf, and refuses query parameters a route does not take', async () => {
    const source = await make.source({ reliability: 'A' });
    const claim = await make.claim();
    await make.assess(claim.id, 0, { probability: 0.3, confidence: 'low' });
    await make.evidence(claim.id, source.id, { credibility: 1, diagnosticity: 4 });
    await pause(20);
    const then = new Date().toISOString();
    await pause(20);
    await make.assess(claim.id, 1, { probability: 0.9, confidence: 'high' });
    await make.evidence(claim.id, source.id, { stance: 'contradicts', credibility: 1, diagnosticity: 2 });

    const now = await t.http.get(`/claims/${claim.id}/confidence`).set('X-API-Key', key).expect(200);
    const past = await t.http.get(`/claims/${claim.id}/confidence`).query({ asOf: then }).set('X-API-Key', key).expect(200);
    expect(now.body).toMatchObject({ version: 2, probability: 0.9, supportingEvidence: 1, contradictingEvidence: 1 });
    expect(past.body).toMatchObject({ version: 1, probability: 0.3, confidence: 'low', estimativeTerm: 'unlikely', supportingEvidence: 1, contradictingEvidence: 0 });
    // One supporting item, A1, diagnosticity 4: logit = ln 4, p = 0.8.
    expect(past.body.evidenceProbability).toBeCloseTo(0.8, 10);
    expect(now.body.evidenceProbability).toBeCloseTo(2 / 3, 10);
    expect(past.headers.etag).not.toBe(now.headers.etag);
    // A source regraded later does not rewrite the past: the grade in force then weighs its evidence.
    await t.http.patch(`/sources/${source.id}`).set('Authorization', analyst.auth).send({ reliability: 'E' }).expect(200);
    const pastAfterRegrade = await t.http.get(`/claims/${claim.id}/confidence`).query({ asOf: then }).set('X-API-Key', key).expect(200);
    expect(pastAfterRegrade.body.evidenceProbability).toBeCloseTo(0.8, 10);
    await t.http.get(`/claims/${claim.id}/confidence`).query({ asOf: '2000-01-01T00:00:00Z' }).set('X-API-Key', key).expect(404);
    await t.http.get(`/claims/${claim.id}/confidence`).query({ asOf: 'yesterday' }).set('X-API-Key', key).expect(400);

    // Nowhere is a parameter silently ignored.
    await t.http.get('/confidence').query({ asOf: then }).set('X-API-Key', key).expect(400);
    const evidence = await t.http.get(`/claims/${claim.id}/evidence`).set('Authorization', analyst.auth).expect(200);
    const ignored = await t.http.get(`/claims/${claim.id}/evidence/${evidence.body.items[0].id}`).query({ asOf: then }).set('Authorization', analyst.auth).expect(400);
    expect(ignored.body.errors).toEqual([{ field: 'asOf', messages: ['asOf is not a parameter of this route'] }]);
    await t.http.get('/health').query({ verbose: 'yes' }).expect(400);
  });

  it('answers for the claims named in ids=, and refuses ids that are not claim ids', async () => {
    const [a, b] = [await make.claim(), await make.claim()];
    await make.claim();
    const res = await t.http.get('/confidence').query({ ids: `${a.id},${b.id}` }).set('X-API-Key', key).expect(200);
    expect(res.body.items.map((item: { claimId: string }) => item.claimId).sort()).toEqual([a.id, b.id].sort());
    expect(res.body.total).toBe(2);
    const bad = await t.http.get('/confidence').query({ ids: `${a.id},42` }).set('X-API-Key', key).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'ids', messages: ['ids must be claim ids (UUIDs) separated by commas'] }]);
  });

  it('sets the evidence-weighted probability next to the analyst\'s, flags the gap, and recomputes it when a source is regraded', async () => {
    const source = await make.source({ reliability: 'A' });
    const claim = await make.claim({ priorProbability: 0.3 });
    await make.evidence(claim.id, source.id, { stance: 'supports', credibility: 1, diagnosticity: 4 });
    await make.evidence(claim.id, source.id, { stance: 'context', quote: 'The summit ended', credibility: 1, diagnosticity: 50 });
    await make.assess(claim.id, 0, { probability: 0.9 });
    // logit(0.3) + ln 4 = −0.8473 + 1.3863 = 0.5390 → 0.6316.
    const before = await t.http.get(`/claims/${claim.id}/confidence`).set('X-API-Key', key).expect(200);
    expect(before.body.evidenceProbability).toBeCloseTo(0.6316, 4);
    expect(before.body).toMatchObject({ evidenceTerm: 'likely', priorProbability: 0.3, gap: 'analyst: very likely; evidence: likely' });
    // Regraded to C: logit(0.3) + 0.6 × ln 4 = −0.0155 → 0.4961.
    await pause(10);
    const regradedAt = new Date().toISOString();
    await t.http.patch(`/sources/${source.id}`).set('Authorization', analyst.auth).send({ reliability: 'C' }).expect(200);
    const after = await t.http.get(`/claims/${claim.id}/confidence`).set('X-API-Key', key).expect(200);
    expect(after.body.evidenceProbability).toBeCloseTo(0.4961, 4);
    expect(after.body.evidenceTerm).toBe('roughly even chance');
    // A client polling for changes sees the claim whose evidence probability moved.
    const changed = await t.http.get('/confidence').query({ updatedSince: regradedAt }).set('X-API-Key', key).expect(200);
    expect(changed.body.items.map((c: { claimId: string }) => c.claimId)).toEqual([claim.id]);
    expect(Date.parse(after.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(regradedAt));
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', analyst.auth).send({ priorProbability: 1 }).expect(400);
  });

  it('lists confidence with filters, pages and ETags', async () => {
    const topic = `feed-${Date.now()}`;
    const claims: { id: string }[] = [];
    for (let i = 0; i < 3; i++) claims.push(await make.claim({ topics: [topic], entities: ['Belarus'] }));
    await make.assess(claims[0].id, 0, { probability: 0.1 });
    const first = await t.http.get('/confidence').query({ topic, limit: 2 }).set('X-API-Key', key).expect(200);
    expect(first.body.total).toBe(3);
    expect(first.body.items).toHaveLength(2);
    const second = await t.http.get('/confidence').query({ topic, limit: 2, cursor: first.body.nextCursor }).set('X-API-Key', key).expect(200);
    expect([...first.body.items, ...second.body.items].map((c: { claimId: string }) => c.claimId).sort()).toEqual(claims.map((c) => c.id).sort());
    const unassessed = second.body.items.concat(first.body.items).find((c: { claimId: string }) => c.claimId === claims[1].id);
    expect(unassessed).toMatchObject({ probability: null, estimativeTerm: null, version: 0 });
    await t.http.get('/confidence').query({ topic, limit: 2 }).set('X-API-Key', key).set('If-None-Match', first.headers.etag).expect(304);
    await t.http.get('/confidence').query({ entity: 'Belarus', status: 'nonsense' }).set('X-API-Key', key).expect(400);
  });

  it('pages through every claim exactly once without filters, most recently changed first', async () => {
    const seen: { claimId: string; updatedAt: string }[] = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await t.http.get('/confidence').query({ limit: 3, ...(cursor ? { cursor } : {}) }).set('X-API-Key', key).expect(200);
      seen.push(...res.body.items);
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    const current = await t.prisma.claim.count({ where: { archivedAt: null } });
    expect(seen).toHaveLength(current);
    expect(new Set(seen.map((c) => c.claimId)).size).toBe(current);
    const times = seen.map((c) => Date.parse(c.updatedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('answers pages asked for in the same moment each after its own cursor, as when asked one by one', async () => {
    for (let i = 0; i < 16; i++) await make.claim();
    const page = (cursor: string, limit: number) =>
      t.http.get('/confidence').query({ limit, cursor }).set('X-API-Key', key).expect(200).then((res) => res.body);
    const all = await t.http.get('/confidence').query({ limit: 16 }).set('X-API-Key', key).expect(200);
    // The cursor after each of the first 12 items, read one page of one at a time.
    const cursors: string[] = [];
    for (let cursor: string | undefined; cursors.length < 12; cursors.push(cursor!)) {
      cursor = (await t.http.get('/confidence').query({ limit: 1, ...(cursor ? { cursor } : {}) }).set('X-API-Key', key).expect(200)).body.nextCursor;
    }
    const limits = cursors.map((_: string, i: number) => 1 + (i % 4));
    // Asked for in the same turn of the event loop, these are read in one query; each must still get exactly its own page.
    const service = t.app.get(ConfidenceService);
    const together = await Promise.all(
      cursors.map((cursor: string, i: number) => service.list({ cursor, limit: limits[i] } as ConfidenceQueryDto, { kind: 'apiKey', id: 'bench', name: 'bench', scopes: ['read_all'] }).then(({ json }) => JSON.parse(json.toString()))),
    );
    const oneByOne = [];
    for (const [i, cursor] of cursors.entries()) oneByOne.push(await page(cursor, limits[i]));
    expect(together).toEqual(oneByOne);
    for (const [i, body] of together.entries()) {
      expect(body.items.map((item: { claimId: string }) => item.claimId)).toEqual(
        all.body.items.slice(i + 1, i + 1 + limits[i]).map((item: { claimId: string }) => item.claimId),
      );
    }
  });

  it('feeds every change exactly once and in order while analysts write concurrently', async () => {
    const { cursor: start } = await readAll(undefined);
    const claims = await Promise.all(Array.from({ length: 8 }, () => make.claim()));
    const writers = claims.map(async (claim) => {
      for (let version = 0; version < 5; version++) await make.assess(claim.id, version, { probability: (version + 1) / 10 });
    });
    const seen: Change[] = [];
    let cursor = start;
    let writing = true;
    const done = Promise.all(writers).then(() => {
      writing = false;
    });
    while (writing) {
      const batch = await readAll(cursor);
      seen.push(...batch.items);
      cursor = batch.cursor;
    }
    await done;
    seen.push(...(await readAll(cursor)).items);

    const keys = seen.map((c) => `${c.claimId}:${c.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(claims.flatMap((c) => [1, 2, 3, 4, 5].map((v) => `${c.id}:${v}`)).sort());
    for (const claim of claims) {
      expect(seen.filter((c) => c.claimId === claim.id).map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('holds back a change until every older transaction has ended, so a late commit is not skipped', async () => {
    const early = await make.claim();
    const late = await make.claim();
    const { cursor } = await readAll(undefined);
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await make.assess(late.id, 0);
      expect((await readAll(cursor)).items).toEqual([]);
      await client.query(
        `INSERT INTO assessments (id, claim_id, version, probability, confidence, rationale, created_by_id)
         VALUES (gen_random_uuid(), $1, 1, 0.5, 'low', 'written by a slow transaction', $2)`,
        [early.id, analyst.id],
      );
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    // Released once every older transaction in the cluster has ended (other test files' included).
    const released = await poll(() => readAll(cursor), ({ items }) => items.length === 2, 10_000);
    expect(released.items.map((c) => c.claimId)).toEqual([early.id, late.id]);
  });

  it('reports in /health/ready how far a transaction open in another database holds the feed back', async () => {
    const claim = await make.claim();
    const { cursor } = await readAll(undefined);
    // Another database on the same server: transaction ids, and so the feed's horizon, are cluster-wide.
    const other = new pg.Client({ connectionString: process.env.TEST_SERVER_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      await pause(300);
      await make.assess(claim.id, 0);
      expect((await readAll(cursor)).items).toEqual([]);
      const held = await t.http.get('/health/ready').expect(200);
      expect(held.body.details.changeFeed.unreleasedChanges).toBe(1);
      expect(held.body.details.changeFeed.oldestTransactionSeconds).toBeGreaterThanOrEqual(0.3);
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    const released = await poll(() => readAll(cursor), ({ items }) => items.length > 0, 10_000);
    expect(released.items.map((c) => c.claimId)).toEqual([claim.id]);
    const ready = await poll(() => t.http.get('/health/ready'), (res) => res.body.details.changeFeed.unreleasedChanges === 0, 10_000);
    expect(ready.body.details.changeFeed).toMatchObject({ status: 'up', unreleasedChanges: 0, oldestUnreleasedSeconds: 0 });
  });

  it('refuses malformed cursors and keeps other data out of reach of a confidence key', async () => {
    await t.http.get('/confidence/changes').query({ since: 'yesterday' }).set('X-API-Key', key).expect(400);
    await t.http.get('/claims').set('X-API-Key', key).expect(403);
    await t.http.get('/reports/claims').set('X-API-Key', key).expect(403);
  });

  it('streams the same changes as Server-Sent Events', async () => {
    const claim = await make.claim();
    const { cursor } = await readAll(undefined);
    const { port } = t.app.getHttpServer().listening
      ? (t.app.getHttpServer().address() as AddressInfo)
      : await t.app.listen(0, '127.0.0.1').then(() => t.app.getHttpServer().address() as AddressInfo);
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: `/confidence/stream?since=${cursor}`, headers: { 'X-API-Key': key, Accept: 'text/event-stream' } },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/text\/event-stream/);
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes(claim.id)) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', (error) => (error.message.includes('aborted') || error.message.includes('socket hang up') ? undefined : reject(error)));
      req.end();
    });
    await pause(200);
    await make.assess(claim.id, 0, { probability: 0.66 });
    const text = await received;
    expect(text).toMatch(/event: confidence/);
    const event = text.split('\n\n').find((block) => block.includes(claim.id))!;
    expect(event).toMatch(/^id: \d+\.\d+$/m);
    const data = JSON.parse(/^data: (.*)$/m.exec(event)![1]);
    expect(data).toMatchObject({ claimId: claim.id, version: 1, probability: 0.66, estimativeTerm: 'likely' });
  });

  it('streams only the claims a filter follows (claim ids, topic, entity)', async () => {
    const followed = await make.claim({ topics: ['stream-followed'], entities: ['Iran'] });
    const other = await make.claim({ topics: ['stream-other'], entities: ['Iran'] });
    const { cursor } = await readAll(undefined);
    const { port } = t.app.getHttpServer().listening
      ? (t.app.getHttpServer().address() as AddressInfo)
      : await t.app.listen(0, '127.0.0.1').then(() => t.app.getHttpServer().address() as AddressInfo);
    /** Everything one filtered stream sends until the marker claim's change arrives. */
    const streamed = (query: string) =>
      new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: `/confidence/stream?since=${cursor}&${query}`, headers: { 'X-API-Key': key } }, (res) => {
          expect(res.statusCode).toBe(200);
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes(`"version":2`)) {
              req.destroy();
              resolve(text);
            }
          });
        });
        req.on('error', (error) => (error.message.includes('aborted') || error.message.includes('socket hang up') ? undefined : reject(error)));
        req.end();
      });
    const byTopic = streamed('topic=Stream-Followed');
    const byIds = streamed(`claimIds=${followed.id}`);
    const byEntity = streamed(`entity=Iran&claimIds=${other.id},${followed.id}`);
    await pause(200);
    await make.assess(other.id, 0, { probability: 0.2 });
    await make.assess(followed.id, 0, { probability: 0.6 });
    await make.assess(followed.id, 1, { probability: 0.7 });
    for (const text of [await byTopic, await byIds]) {
      expect(text).toContain(followed.id);
      expect(text).not.toContain(other.id);
    }
    expect(await byEntity).toContain(other.id);
    await t.http.get('/confidence/stream').query({ claimIds: 'not-an-id' }).set('X-API-Key', key).expect(400);
  });

  it('opens the stream with a short-lived stream token, which is good for nothing else', async () => {
    const issued = await t.http.post('/confidence/stream-tokens').set('X-API-Key', key).expect(201);
    expect(issued.body).toMatchObject({ expiresIn: 60, url: `/confidence/stream?token=${issued.body.token}` });
    await t.http.post('/confidence/stream-tokens').expect(401);
    // Not an access token, and an access token is not a stream token.
    await t.http.get('/confidence').set('Authorization', `Bearer ${issued.body.token}`).expect(401);
    await t.http.get('/confidence/stream').query({ token: analyst.token }).expect(401);
    await t.http.get('/confidence/stream').query({ token: 'garbage' }).expect(401);
    // Only the stream takes one.
    await t.http.get('/confidence').query({ token: issued.body.token }).set('X-API-Key', key).expect(400);

    const base = await t.listen().catch(() => t.app.getUrl());
    const controller = new AbortController();
    const res = await fetch(`${base}${issued.body.url}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    controller.abort();
  });
});
