import { fixtures, type Fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Changed {
  claimId: string;
  since: string;
  changes: number;
  changedBy: string[];
  kinds: string[];
  before: { probability: number | null; evidenceProbability: number } | null;
  after: { probability: number | null; evidenceProbability: number; version: number };
}

describe('since you last looked', () => {
  let t: TestApp;
  /** The analyst who looks. */
  let me: { id: string; auth: string };
  /** A colleague whose changes are news to them. */
  let colleague: Fixtures;
  let colleagueAuth: string;
  beforeAll(async () => {
    t = await createTestApp();
    me = await t.signIn('analyst');
    colleagueAuth = (await t.signIn('analyst')).auth;
    colleague = fixtures(t, colleagueAuth);
  });
  afterAll(() => t.close());

  const changes = async (query: Record<string, string | number> = {}) =>
    (await t.http.get('/users/me/changes').query(query).set('Authorization', me.auth).expect(200)).body as { items: Changed[]; total: number; nextCursor: string | null };
  const changeOf = async (claimId: string) => (await changes({ limit: 500 })).items.find((item) => item.claimId === claimId);
  const visit = (claimId: string) => t.http.put(`/users/me/visits/${claimId}`).set('Authorization', me.auth).expect(204);

  it('starts empty for a new account, and lists a colleague\'s new claim with who, what, then (none) and now', async () => {
    const fresh = await t.signIn('viewer');
    expect((await t.http.get('/users/me/changes').set('Authorization', fresh.auth).expect(200)).body).toEqual({ items: [], total: 0, nextCursor: null });

    const source = await colleague.source();
    const claim = await colleague.claim();
    await colleague.evidence(claim.id, source.id);
    await colleague.assess(claim.id, 0, { probability: 0.6 });
    const changed = await changeOf(claim.id);
    expect(changed).toMatchObject({ changes: 3, changedBy: ['Test analyst'], before: null, after: { probability: 0.6, version: 1 } });
    expect(changed!.kinds.sort()).toEqual(['assessment', 'claim', 'evidence']);
  });

  it('drops a claim once looked at, and brings it back with before → after when a colleague moves it again', async () => {
    const claim = await colleague.claim();
    await colleague.assess(claim.id, 0, { probability: 0.6 });
    await visit(claim.id);
    expect(await changeOf(claim.id)).toBeUndefined();

    await colleague.assess(claim.id, 1, { probability: 0.85 });
    const changed = await changeOf(claim.id);
    expect(changed).toMatchObject({ changes: 1, kinds: ['assessment'], before: { probability: 0.6 }, after: { probability: 0.85, version: 2 } });
  });

  it('leaves out the analyst\'s own changes: they are not news', async () => {
    const mine = fixtures(t, me.auth);
    const claim = await mine.claim();
    await mine.assess(claim.id, 0);
    expect(await changeOf(claim.id)).toBeUndefined();
  });

  it('lists the claims whose evidence probability moved because a colleague regraded a source of their evidence', async () => {
    const source = await colleague.source({ reliability: 'C' });
    const claim = await colleague.claim();
    await colleague.evidence(claim.id, source.id, { diagnosticity: 4 });
    await visit(claim.id);
    await t.http.patch(`/sources/${source.id}`).set('Authorization', colleagueAuth).send({ reliability: 'A' }).expect(200);
    const changed = await changeOf(claim.id);
    expect(changed).toMatchObject({ changes: 1, kinds: ['source'] });
    expect(changed!.after.evidenceProbability).toBeGreaterThan(changed!.before!.evidenceProbability);
  });

  it('pages through the changed claims, newest change first, each once; marking all seen empties the list', async () => {
    for (let i = 0; i < 3; i++) await colleague.claim();
    const all = await changes({ limit: 500 });
    expect(all.total).toBe(all.items.length);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof changes>> = await changes({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(all.total);
      seen.push(...page.items.map((item) => item.claimId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((item) => item.claimId));

    await t.http.put('/users/me/visits').set('Authorization', me.auth).expect(204);
    expect((await changes()).total).toBe(0);
    const later = await colleague.claim();
    expect((await changes()).items.map((item) => item.claimId)).toEqual([later.id]);
  });

  it('answers 404 for a claim that does not exist, 400 for a foreign cursor, and 403 to API keys', async () => {
    await t.http.put('/users/me/visits/00000000-0000-4000-8000-000000000000').set('Authorization', me.auth).expect(404);
    await t.http.get('/users/me/changes').query({ cursor: 'bm9wZQ' }).set('Authorization', me.auth).expect(400);
    const admin = await t.signIn('admin');
    const key = (await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'feed', scopes: ['read_all'] }).expect(201)).body;
    await t.http.get('/users/me/changes').set('X-API-Key', key.key).expect(403);
  });
});
