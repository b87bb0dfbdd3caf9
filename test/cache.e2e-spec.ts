import { pause } from './support/wait.js';
import pg from 'pg';
import type { ChangedTable } from '../src/database/changes.js';
import { DatabaseEvents } from '../src/database/database-events.service.js';
import { fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Two instances on one database, as behind a load balancer: caches must never serve a stale confidence. */
describe('per-process caches across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let key: string;
  let analystB: string;
  let makeB: ReturnType<typeof fixtures>;

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({}, a);
    const admin = await a.signIn('admin');
    key = (await a.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'cache', scopes: ['read_all'] }).expect(201)).body.key;
    analystB = (await b.signIn('analyst')).auth;
    makeB = fixtures(b, analystB);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const confidence = (app: TestApp, id: string) => app.http.get(`/claims/${id}/confidence`).set('X-API-Key', key).expect(200);

  /**
   * Runs a change through B and waits until A has heard of it. Another instance
   * learns of a commit by its notification, which arrives within a millisecond or
   * so but may lose a race with a request sent at the very same moment.
   */
  async function throughB<T>(table: ChangedTable, id: string, change: () => Promise<T>): Promise<T> {
    const heard = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`A never heard of the change to ${table} ${id}`)), 2_000);
      a.app.get(DatabaseEvents).on(table, (changed) => changed === id && resolve(clearTimeout(timer)));
    });
    const result = await change();
    await heard;
    return result;
  }

  it('reads through one instance a write committed through the other, once notified', async () => {
    const claim = await makeB.claim();
    await makeB.assess(claim.id, 0, { probability: 0.2 });
    expect((await confidence(a, claim.id)).body).toMatchObject({ version: 1, probability: 0.2 });
    expect((await confidence(a, claim.id)).body.version).toBe(1); // now cached in A
    for (let version = 1; version <= 5; version++) {
      await throughB('claims', claim.id, () => makeB.assess(claim.id, version, { probability: version / 10 }));
      expect((await confidence(a, claim.id)).body).toMatchObject({ version: version + 1, probability: version / 10 });
      expect((await confidence(b, claim.id)).body.version).toBe(version + 1);
    }
  });

  it('serves the same change feed from both instances', async () => {
    const claim = await makeB.claim();
    for (let version = 0; version < 3; version++) await makeB.assess(claim.id, version);
    const feed = async (app: TestApp) => {
      const items: unknown[] = [];
      let since: string | undefined;
      for (;;) {
        const res = await app.http.get('/confidence/changes').query({ limit: 7, ...(since ? { since } : {}) }).set('X-API-Key', key).expect(200);
        if (res.body.items.length === 0) return items;
        items.push(...res.body.items);
        since = res.body.nextCursor;
      }
    };
    const [fromA, fromB] = await Promise.all([feed(a), feed(b)]);
    expect(fromA.length).toBeGreaterThanOrEqual(3);
    expect(fromA).toEqual(fromB);
  });

  it('sees evidence changes through the other instance in the counts', async () => {
    const source = await makeB.source();
    const claim = await makeB.claim();
    expect((await confidence(a, claim.id)).body.supportingEvidence).toBe(0);
    await throughB('claims', claim.id, () => makeB.evidence(claim.id, source.id));
    expect((await confidence(a, claim.id)).body.supportingEvidence).toBe(1);
  });

  it('refuses a key revoked through the other instance once notified', async () => {
    const admin = await b.signIn('admin');
    const created = await b.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'short-lived', scopes: ['read_all'] }).expect(201);
    await a.http.get('/claims').set('X-API-Key', created.body.key).expect(200); // cached in A
    await throughB('api_keys', created.body.id, () => b.http.delete(`/api-keys/${created.body.id}`).set('Authorization', admin.auth).expect(204));
    await a.http.get('/claims').set('X-API-Key', created.body.key).expect(401);
  });

  it('applies a demotion made through the other instance once notified', async () => {
    const admin = await b.signIn('admin');
    const analyst = await a.signIn('analyst');
    await a.http.post('/claims').set('Authorization', analyst.auth).send({ statement: 'Written before the demotion' }).expect(201);
    await throughB('users', analyst.id, () => b.http.patch(`/users/${analyst.id}`).set('Authorization', admin.auth).send({ role: 'viewer' }).expect(200));
    await a.http.post('/claims').set('Authorization', analyst.auth).send({ statement: 'Written after the demotion' }).expect(403);
  });

  it('stops serving from the cache while change notifications are down, and resumes when they return', async () => {
    const claim = await makeB.claim();
    await makeB.assess(claim.id, 0, { probability: 0.5 });
    expect((await confidence(a, claim.id)).body.version).toBe(1);
    const events = a.app.get(DatabaseEvents);
    const admin = new pg.Client({ connectionString: a.databaseUrl });
    await admin.connect();
    try {
      // Cut every listening connection of this database (both instances').
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'`);
      for (let i = 0; i < 50 && events.live; i++) await pause(20);
      expect(events.live).toBe(false);
      // A change made while nobody listens: with the cache bypassed it is still seen at once.
      await admin.query(`UPDATE claims SET status = 'disputed' WHERE id = $1`, [claim.id]);
      expect((await confidence(a, claim.id)).body.status).toBe('disputed');
      for (let i = 0; i < 100 && !events.live; i++) await pause(50);
      expect(events.live).toBe(true);
      await throughB('claims', claim.id, () => makeB.assess(claim.id, 1, { probability: 0.9 }));
      expect((await confidence(a, claim.id)).body).toMatchObject({ version: 2, probability: 0.9, status: 'disputed' });
    } finally {
      await admin.end();
    }
  });

  it('serves the consensus a write through one instance made from the other, and the blind rule with it', async () => {
    const claim = await makeB.claim();
    const estimate = (auth: string, probability: number) =>
      b.http.post(`/claims/${claim.id}/estimates`).set('Authorization', auth).send({ probability, confidence: 'moderate', rationale: 'Mine.', baseVersion: 0 }).expect(201);
    expect((await confidence(a, claim.id)).body.team).toMatchObject({ analysts: 0, consensus: null }); // cached in A
    await throughB('claims', claim.id, () => estimate(analystB, 0.6));
    const first = await confidence(a, claim.id);
    expect(first.body.team).toMatchObject({ analysts: 1, consensus: expect.closeTo(0.6, 10) });
    const other = (await b.signIn('analyst')).auth;
    await throughB('claims', claim.id, () => estimate(other, 0.9));
    const second = await confidence(a, claim.id);
    expect(second.body.team.analysts).toBe(2);
    expect(second.headers.etag).not.toBe(first.headers.etag);

    // Blind through B: A's cache drops the open answer at once, and an API key sees the consensus only from two analysts on.
    await throughB('claims', claim.id, () => b.http.patch(`/claims/${claim.id}`).set('Authorization', analystB).send({ blind: true }).expect(200));
    expect((await confidence(a, claim.id)).body.team).toMatchObject({ blind: true, hidden: false, analysts: 2 });
  });
});
