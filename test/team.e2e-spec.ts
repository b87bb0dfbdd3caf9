import { pause } from './support/wait.js';
import { fixtures, rowCounts, type Fixtures } from './support/fixtures.js';
import { readCsvWithPython } from './support/python-csv.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Session = Awaited<ReturnType<TestApp['signIn']>>;

describe('team judgement: estimates, consensus, dissent, blind first', () => {
  let t: TestApp;
  let analysts: Session[];
  let make: Fixtures;
  let viewer: Session;
  let admin: Session;
  let key: string;
  let claimCount = 0;
  beforeAll(async () => {
    t = await createTestApp();
    analysts = [await t.signIn('analyst'), await t.signIn('analyst'), await t.signIn('analyst')];
    make = fixtures(t, analysts[0].auth);
    viewer = await t.signIn('viewer');
    admin = await t.signIn('admin');
    key = (await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'team', scopes: ['read_confidence'] }).expect(201)).body.key;
  });
  afterAll(() => t.close());

  const newClaim = (overrides: Record<string, unknown> = {}) => make.claim({ statement: `Team claim ${++claimCount} ${Date.now()}`, ...overrides });
  const estimate = (who: Session, claimId: string, probability: number, baseVersion = 0, extra: Record<string, unknown> = {}) =>
    t.http.post(`/claims/${claimId}/estimates`).set('Authorization', who.auth).send({ probability, confidence: 'moderate', rationale: `Estimate ${probability}.`, baseVersion, ...extra });
  const team = async (claimId: string, auth: { header: string; value: string }) =>
    (await t.http.get(`/claims/${claimId}/confidence`).set(auth.header, auth.value).expect(200)).body.team;
  const asKey = () => ({ header: 'X-API-Key', value: key });
  const as = (who: Session) => ({ header: 'Authorization', value: who.auth });

  it('pools each analyst\'s latest estimate: 0.6, 0.7, 0.9 → 0.7595, with spread, terms and the gap to the record', async () => {
    const claim = await newClaim();
    await make.assess(claim.id, 0, { probability: 0.9 });
    for (const [i, p] of [0.6, 0.7, 0.9].entries()) expect((await estimate(analysts[i], claim.id, p)).status).toBe(201);
    const pooled = await team(claim.id, asKey());
    expect(Math.abs(pooled.consensus - 0.7595)).toBeLessThanOrEqual(0.0005);
    expect(pooled).toMatchObject({ analysts: 3, estimativeTerm: 'likely', min: 0.6, max: 0.9, dissent: false, gap: 'record: very likely; team: likely', blind: false, hidden: false });
    expect(pooled.iqrLogOdds).toBeCloseTo(0.8959, 3);
    // The columns lists filter and sort on are written in SQL: they hold the same figures.
    const stored = await t.prisma.claim.findUniqueOrThrow({ where: { id: claim.id } });
    expect(stored).toMatchObject({ teamAnalysts: 3, teamBandSpan: 1, teamGap: 1 });
    expect(stored.teamProbability).toBeCloseTo(pooled.consensus, 12);
    const chainsNow = (await t.http.get(`/claims/${claim.id}/estimates`).set('X-API-Key', key).expect(200)).body.items;
    expect(chainsNow.map((e: { probability: number; estimativeTerm: string }) => [e.probability, e.estimativeTerm]).sort()).toEqual([
      [0.6, 'likely'], [0.7, 'likely'], [0.9, 'very likely'],
    ]);
    // A revision replaces the analyst's estimate in the pool; the chain keeps both.
    expect((await estimate(analysts[0], claim.id, 0.2, 1)).status).toBe(201);
    const revised = await team(claim.id, asKey());
    expect(revised).toMatchObject({ analysts: 3, min: 0.2, dissent: true });
    const chains = (await t.http.get(`/claims/${claim.id}/estimates`).set('X-API-Key', key).expect(200)).body.items;
    expect(chains.filter((e: { analystId: string }) => e.analystId === analysts[0].id).map((e: { version: number }) => e.version)).toEqual([1, 2]);
  });

  it('one analyst: the consensus is theirs; withdrawn: gone from the pool; none: no consensus', async () => {
    const claim = await newClaim();
    await estimate(analysts[1], claim.id, 0.3).expect(201);
    expect(await team(claim.id, asKey())).toMatchObject({ analysts: 1, consensus: expect.closeTo(0.3, 10), dissent: false });
    const withdrawn = await t.http.post(`/claims/${claim.id}/estimates/withdrawal`).set('Authorization', analysts[1].auth).send({ baseVersion: 1 }).expect(201);
    expect(withdrawn.body).toMatchObject({ version: 2, withdrawn: true, probability: null, estimativeTerm: null });
    expect(await team(claim.id, asKey())).toMatchObject({ analysts: 0, consensus: null, dissent: false });
    // Nothing to withdraw now, and a withdrawn chain is revised only from its base.
    await t.http.post(`/claims/${claim.id}/estimates/withdrawal`).set('Authorization', analysts[1].auth).send({ baseVersion: 2 }).expect(409);
    await t.http.post(`/claims/${claim.id}/estimates`).set('Authorization', analysts[1].auth).send({ probability: 0.4, confidence: 'low', rationale: 'Back.' }).expect(428);
    await estimate(analysts[1], claim.id, 0.4, 2).expect(201);
  });

  it('lets exactly one of 20 writes from one base win; the others get 409 with the winner', async () => {
    const claim = await newClaim();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => estimate(analysts[2], claim.id, 0.1 + i * 0.04)));
    expect(results.map((r) => r.status).filter((s) => s !== 409 && s !== 201).map(String)).toEqual([]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const conflicts = results.filter((r) => r.status === 409);
    expect(conflicts).toHaveLength(19);
    const winner = results.find((r) => r.status === 201)!.body;
    for (const c of conflicts) expect(c.body).toMatchObject({ currentVersion: 1, current: { id: winner.id, probability: winner.probability } });
    expect(await t.prisma.estimate.count({ where: { claimId: claim.id } })).toBe(1);
  });

  it('refuses bad estimates with a clear 4xx and stores nothing', async () => {
    const claim = await newClaim();
    const other = await newClaim();
    const source = await make.source();
    const foreign = await make.evidence(other.id, source.id);
    const before = await rowCounts(t);
    const estimates = await t.prisma.estimate.count();
    for (const probability of [0, 1, 1.2, -0.1]) {
      const res = await estimate(analysts[0], claim.id, probability).expect(400);
      expect(res.body.errors).toEqual([{ field: 'probability', messages: [expect.stringMatching(/strictly between 0 and 1.*log-odds.*infinite/)] }]);
    }
    await estimate(analysts[0], '00000000-0000-4000-8000-000000000000', 0.5).expect(404);
    const unprocessable = await estimate(analysts[0], claim.id, 0.5, 0, { evidenceIds: [foreign.id] }).expect(422);
    expect(unprocessable.body.errors[0].field).toBe('evidenceIds');
    await estimate(viewer, claim.id, 0.5).expect(403);
    await t.http.post(`/claims/${claim.id}/estimates`).set('X-API-Key', key).send({ probability: 0.5, confidence: 'low', rationale: 'x', baseVersion: 0 }).expect(403);
    await t.http.post(`/claims/${claim.id}/estimates`).set('Authorization', analysts[0].auth).set('If-Match', 'soon').send({ probability: 0.5, confidence: 'low', rationale: 'x' }).expect(400);
    expect(await rowCounts(t)).toEqual(before);
    expect(await t.prisma.estimate.count()).toBe(estimates);
    // If-Match names the version of one's own chain: another analyst's chain is never theirs to write.
    await estimate(analysts[1], claim.id, 0.5).expect(201);
    await t.http.post(`/claims/${claim.id}/estimates`).set('Authorization', analysts[0].auth).set('If-Match', '"1"').send({ probability: 0.5, confidence: 'low', rationale: 'x' }).expect(409);
    await t.http.post(`/claims/${claim.id}/estimates`).set('Authorization', analysts[0].auth).set('If-Match', '"0"').send({ probability: 0.55, confidence: 'low', rationale: 'x' }).expect(201);
  });

  it('blind first: the unestimated analyst sees a count, not values, until they record theirs; per role', async () => {
    const claim = await newClaim({ blind: true });
    await estimate(analysts[0], claim.id, 0.8).expect(201);
    expect(await team(claim.id, as(analysts[1]))).toEqual({
      blind: true, hidden: true, analysts: 1, consensus: null, estimativeTerm: null, min: null, max: null, iqrLogOdds: null, dissent: null, gap: null,
    });
    const refused = await t.http.get(`/claims/${claim.id}/estimates`).set('Authorization', analysts[1].auth).expect(403);
    expect(refused.body.detail).toMatch(/record your own estimate first/);
    // The audit trail withholds the values too, but from admins and their author.
    const trail = async (who: Session) =>
      (await t.http.get('/audit').query({ claimId: claim.id, entityType: 'estimate' }).set('Authorization', who.auth).expect(200)).body.items[0];
    expect(await trail(analysts[1])).toMatchObject({ withheld: true, before: null, after: null });
    expect(await trail(analysts[0])).toMatchObject({ withheld: false, after: { probability: 0.8 } });
    expect(await trail(admin)).toMatchObject({ withheld: false, after: { probability: 0.8 } });
    // The estimator, admins and the author of the record see; viewers and keys from two analysts on.
    expect(await team(claim.id, as(analysts[0]))).toMatchObject({ hidden: false, analysts: 1 });
    expect(await team(claim.id, as(admin))).toMatchObject({ hidden: false, consensus: expect.closeTo(0.8, 10) });
    expect(await team(claim.id, as(viewer))).toMatchObject({ hidden: true, analysts: 1 });
    expect(await team(claim.id, asKey())).toMatchObject({ hidden: true });
    await t.http.get(`/claims/${claim.id}/estimates`).set('X-API-Key', key).expect(403);
    await t.http.post(`/claims/${claim.id}/assessments`).set('Authorization', analysts[2].auth).send({ probability: 0.5, confidence: 'low', rationale: 'Record.', baseVersion: 0 }).expect(201);
    expect(await team(claim.id, as(analysts[2]))).toMatchObject({ hidden: false });
    // The change feed never carries a blind claim's values.
    const feed = (await t.http.get('/confidence/changes').query({ include: 'estimates', limit: 1000 }).set('X-API-Key', key).expect(200)).body;
    expect(feed.estimates.filter((e: { claimId: string }) => e.claimId === claim.id)).toEqual([expect.objectContaining({ blind: true, probability: null, confidence: null })]);

    await estimate(analysts[1], claim.id, 0.3).expect(201);
    expect(await team(claim.id, as(analysts[1]))).toMatchObject({ hidden: false, analysts: 2, dissent: true });
    expect(await team(claim.id, as(viewer))).toMatchObject({ hidden: false, analysts: 2 });
    expect((await t.http.get(`/claims/${claim.id}/estimates`).set('Authorization', viewer.auth).expect(200)).body.items).toHaveLength(2);
    // Lists hide alike: a page with the claim shows the count only to those not entitled.
    const page = (await t.http.get('/confidence').query({ ids: claim.id }).set('Authorization', (await t.signIn('analyst')).auth).expect(200)).body;
    expect(page.items[0].team).toMatchObject({ hidden: true, analysts: 2 });
  });

  it('blinds every claim of a blind topic', async () => {
    const topic = `blind-${Date.now()}`;
    const claim = await newClaim({ topics: [topic] });
    await estimate(analysts[0], claim.id, 0.7).expect(201);
    expect(await team(claim.id, as(analysts[1]))).toMatchObject({ blind: false, hidden: false });
    await t.http.put(`/blind-topics/${topic.toUpperCase()}`).set('Authorization', analysts[0].auth).expect(200);
    expect(await team(claim.id, as(analysts[1]))).toMatchObject({ blind: true, hidden: true, analysts: 1 });
    expect((await t.http.get('/blind-topics').set('Authorization', viewer.auth).expect(200)).body.items).toContainEqual(expect.objectContaining({ topic, claims: 1 }));
    await t.http.put(`/blind-topics/${topic}`).set('Authorization', viewer.auth).expect(403);
    await t.http.delete(`/blind-topics/${topic}`).set('Authorization', analysts[0].auth).expect(204);
    expect(await team(claim.id, as(analysts[1]))).toMatchObject({ blind: false, hidden: false });
  });

  it('gives the consensus as it stood at asOf, from the estimates in force then', async () => {
    const claim = await newClaim();
    await estimate(analysts[0], claim.id, 0.6).expect(201);
    await estimate(analysts[1], claim.id, 0.7).expect(201);
    await pause(20);
    const then = new Date().toISOString();
    await pause(20);
    await estimate(analysts[2], claim.id, 0.9).expect(201);
    await estimate(analysts[0], claim.id, 0.1, 1).expect(201);
    const past = (await t.http.get(`/claims/${claim.id}/confidence`).query({ asOf: then }).set('X-API-Key', key).expect(200)).body.team;
    expect(past).toMatchObject({ analysts: 2, min: 0.6, max: 0.7 });
    expect(past.consensus).toBeCloseTo(1 / (1 + Math.exp(-(Math.log(1.5) + Math.log(7 / 3)) / 2)), 10);
    const chains = (await t.http.get(`/claims/${claim.id}/estimates`).query({ asOf: then }).set('X-API-Key', key).expect(200)).body.items;
    expect(chains).toHaveLength(2);
  });

  it('filters and sorts by dissent and by the record–consensus gap; emits estimates in the feed as their own events', async () => {
    const agreed = await newClaim();
    const split = await newClaim();
    await make.assess(split.id, 0, { probability: 0.95 });
    await estimate(analysts[0], agreed.id, 0.6).expect(201);
    await estimate(analysts[1], agreed.id, 0.65).expect(201);
    const head = (await t.http.get('/confidence/changes').query({ include: 'estimates', limit: 1000 }).set('X-API-Key', key).expect(200)).body.nextCursor;
    await estimate(analysts[0], split.id, 0.1).expect(201);
    await estimate(analysts[1], split.id, 0.8).expect(201);

    const dissenting = (await t.http.get('/confidence').query({ dissent: true, limit: 500 }).set('X-API-Key', key).expect(200)).body.items.map((i: { claimId: string }) => i.claimId);
    expect(dissenting).toContain(split.id);
    expect(dissenting).not.toContain(agreed.id);
    const gaps = (await t.http.get('/claims').query({ teamGap: true, limit: 500 }).set('Authorization', viewer.auth).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(gaps).toContain(split.id);
    const sorted = (await t.http.get('/claims').query({ sort: '-dissent', limit: 500 }).set('Authorization', viewer.auth).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(sorted.indexOf(split.id)).toBeLessThan(sorted.indexOf(agreed.id));
    await t.http.get('/claims').query({ dissent: true, asOf: new Date().toISOString() }).set('Authorization', viewer.auth).expect(400);

    // The feed: assessments in `items` as ever; estimates only when asked for, in their own list.
    const plain = (await t.http.get('/confidence/changes').query({ since: head }).set('X-API-Key', key).expect(200)).body;
    expect(plain.estimates).toBeUndefined();
    const withEstimates = (await t.http.get('/confidence/changes').query({ since: head, include: 'estimates' }).set('X-API-Key', key).expect(200)).body;
    expect(withEstimates.estimates.map((e: { claimId: string; probability: number }) => [e.claimId, e.probability])).toEqual([[split.id, 0.1], [split.id, 0.8]]);
    expect(withEstimates.items).toEqual([]);
  });

  it('reports the consensus and dissent in every format, blind first included (CSV read by Python)', async () => {
    const topic = `team-report-${Date.now()}`;
    const open = await newClaim({ topics: [topic] });
    const blind = await newClaim({ topics: [topic], blind: true });
    for (const claim of [open, blind]) {
      await estimate(analysts[0], claim.id, 0.3).expect(201);
      await estimate(analysts[1], claim.id, 0.7).expect(201);
    }
    const csvAs = async (who: Session) => {
      const res = await t.http.get('/reports/claims').query({ format: 'csv', topic }).set('Authorization', who.auth).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      const rows = (await readCsvWithPython(res.body as Buffer)) as Record<string, string>[];
      return new Map(rows.map((row) => [row.id, row]));
    };
    const outsider = await t.signIn('analyst');
    const seen = await csvAs(outsider);
    expect(seen.get(open.id)).toMatchObject({ team_consensus: '0.500', team_analysts: '2', team_dissent: 'true' });
    expect(seen.get(blind.id)).toMatchObject({ team_consensus: '', team_analysts: '2', team_dissent: '', team_estimates: '' });
    expect((await csvAs(analysts[0])).get(blind.id)).toMatchObject({ team_consensus: '0.500', team_dissent: 'true' });
    const markdown = (await t.http.get('/reports/claims').query({ format: 'md', topic }).set('Authorization', outsider.auth).expect(200)).text;
    expect(markdown).toContain('- **Team:** roughly even chance (50 %) from 2 analyst(s), estimates 30 % to 70 % — dissent');
    expect(markdown).toContain('- **Team:** 2 analyst(s) have estimated; blind first');
  });

  it('streams estimates as their own "estimate" events, next to the assessments\' "confidence" events', async () => {
    const claim = await newClaim();
    const base = await t.listen();
    const controller = new AbortController();
    const res = await fetch(`${base}/confidence/stream`, { headers: { 'X-API-Key': key, Accept: 'text/event-stream' }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const events: string[] = [];
    const seen = (async () => {
      let text = '';
      while (!(text.includes('event: estimate') && text.includes('event: confidence'))) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString();
      }
      events.push(...text.split('\n\n').filter((block) => /^event: (estimate|confidence)$/m.test(block)));
    })();
    await pause(300);
    await estimate(analysts[0], claim.id, 0.42).expect(201);
    await make.assess(claim.id, 0, { probability: 0.6 });
    await seen;
    controller.abort();
    // A stream starts at the head of the feed: nothing from before it connected.
    expect(events.filter((block) => !block.includes(claim.id))).toEqual([]);
    const byType = Object.fromEntries(events.map((block) => [/^event: (\w+)$/m.exec(block)![1], JSON.parse(/^data: (.*)$/m.exec(block)![1])]));
    expect(byType.estimate).toMatchObject({ claimId: claim.id, analystId: analysts[0].id, version: 1, probability: 0.42, estimativeTerm: 'unlikely', withdrawn: false, blind: false });
    expect(byType.confidence).toMatchObject({ claimId: claim.id, version: 1, probability: 0.6 });
  });
});
