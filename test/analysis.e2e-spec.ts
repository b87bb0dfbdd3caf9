import { fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { AssessmentsService } from '../src/assessments/assessments.service.js';
import { ClaimsService } from '../src/claims/claims.service.js';
import { EstimatesService } from '../src/team/estimates.service.js';


describe('resolution and calibration', () => {
  let t: TestApp;
  let x: Awaited<ReturnType<TestApp['signIn']>>;
  let y: Awaited<ReturnType<TestApp['signIn']>>;
  beforeAll(async () => {
    t = await createTestApp();
    x = await t.signIn('analyst');
    y = await t.signIn('analyst');
  });
  afterAll(() => t.close());

  it('resolves a claim with an outcome, a date and a source, for analysts only', async () => {
    const make = fixtures(t, x.auth);
    const source = await make.source();
    const claim = await make.claim();
    const viewer = await t.signIn('viewer');
    const body = { outcome: true, resolvedAt: new Date().toISOString(), sourceId: source.id, note: 'It happened.' };
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', viewer.auth).send(body).expect(403);
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ outcome: true }).expect(400);
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ ...body, outcome: 'yes' }).expect(400);
    const unknown = await t.http
      .put(`/claims/${claim.id}/resolution`)
      .set('Authorization', x.auth)
      .send({ ...body, sourceId: '00000000-0000-4000-8000-000000000000' })
      .expect(422);
    expect(unknown.body.errors[0].field).toBe('sourceId');
    // Before the claim was recorded, or in the future: refused, naming the field, and nothing changes.
    for (const resolvedAt of ['2022-02-24T00:00:00Z', new Date(Date.now() + 86_400_000).toISOString()]) {
      const refused = await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ ...body, resolvedAt }).expect(422);
      expect(refused.body.errors[0].field).toBe('resolvedAt');
    }
    expect((await t.prisma.claim.findUniqueOrThrow({ where: { id: claim.id } })).status).toBe('open');
    // Annulling needs a resolution.
    await t.http.put(`/claims/${claim.id}/resolution/annulment`).set('Authorization', x.auth).send({}).expect(409);
    const res = await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send(body).expect(200);
    expect(res.body).toMatchObject({ status: 'resolved_true', resolvedAt: body.resolvedAt, resolutionSourceId: source.id, resolutionNote: 'It happened.' });
    // Resolved statuses come only with a resolution.
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', x.auth).send({ status: 'resolved_false' }).expect(400);
    await t.http.post('/claims').set('Authorization', x.auth).send({ statement: 'Born resolved', status: 'resolved_true' }).expect(400);
    await t.http.delete(`/sources/${source.id}?hard=true`).set('Authorization', x.auth).expect(409);
  });

  it('closes a resolved claim to new assessments (409, saying how to re-open it) until it is re-opened', async () => {
    const make = fixtures(t, x.auth);
    const claim = await make.claim();
    await make.assess(claim.id, 0, { probability: 0.7 });
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ outcome: false, resolvedAt: new Date().toISOString() }).expect(200);
    const refused = await t.http
      .post(`/claims/${claim.id}/assessments`)
      .set('Authorization', x.auth)
      .send({ probability: 0.1, confidence: 'high', rationale: 'With hindsight.', baseVersion: 1 })
      .expect(409);
    expect(refused.body.detail).toContain(`DELETE /claims/${claim.id}/resolution`);
    expect(await t.prisma.assessment.count({ where: { claimId: claim.id } })).toBe(1);

    await t.http.delete(`/claims/${claim.id}/resolution`).set('Authorization', (await t.signIn('viewer')).auth).expect(403);
    const reopened = await t.http.delete(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', resolvedAt: null, resolutionSourceId: null });
    await t.http.delete(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).expect(409);
    await make.assess(claim.id, 1, { probability: 0.2 });
    const audit = await t.http.get('/audit').query({ entityId: claim.id }).set('Authorization', x.auth).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['claim.resolve', 'claim.reopen']));
    // The claim's whole story: its own events and those of its versions (and evidence, appearances).
    const story = await t.http.get('/audit').query({ claimId: claim.id }).set('Authorization', x.auth).expect(200);
    expect(story.body.items.map((e: { action: string }) => e.action)).toEqual(['assessment.create', 'claim.reopen', 'claim.resolve', 'assessment.create', 'claim.create']);
    expect(story.body.total).toBe(5);
  });

  /** A claim recorded at day 0 whose record and analysts' estimates are given at known days. */
  const DAY = 86_400_000;
  const start = Date.UTC(2024, 0, 1);
  const at = (days: number) => ({ at: new Date(start + days * DAY) });
  async function timeline(record: [number, number][], estimates: Record<string, [number, number][]>, outcome: boolean, resolvedDay: number, topics = ['timeline']) {
    const analysts = { x: principal(x), y: principal(y) };
    const claim = await t.app.get(ClaimsService).create(analysts.x, { statement: `Timeline ${Math.random()}`, topics }, at(0));
    for (const [version, [day, probability]] of record.entries()) {
      await t.app.get(AssessmentsService).create(analysts.x, claim.id, { probability, confidence: 'moderate', rationale: `Day ${day}.`, baseVersion: version }, undefined, at(day));
    }
    for (const [who, steps] of Object.entries(estimates)) {
      for (const [version, [day, probability]] of steps.entries()) {
        await t.app.get(EstimatesService).create(analysts[who as 'x' | 'y'], claim.id, { probability, confidence: 'moderate', rationale: `Day ${day}.`, baseVersion: version }, undefined, at(day));
      }
    }
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ outcome, resolvedAt: new Date(start + resolvedDay * DAY).toISOString() }).expect(200);
    return claim;
  }
  const principal = (session: Awaited<ReturnType<TestApp['signIn']>>) => ({ kind: 'user' as const, id: session.id, email: session.email, name: session.email, role: 'analyst' as const });

  it('scores the forecast in force over time, not each version: 0.9 for 10 days then 0.1 for 1, false → Brier 0.7373, log −2.1028', async () => {
    // The record and x's estimates say 0.9 from day 0 and 0.1 from day 10; y says 0.2 from day 5 only.
    const claim = await timeline([[0, 0.9], [10, 0.1]], { x: [[0, 0.9], [10, 0.1]], y: [[5, 0.2]] }, false, 11);
    const calibration = (await t.http.get('/calibration').set('Authorization', x.auth).expect(200)).body;
    expect(calibration).toMatchObject({ claims: 1, forecasts: 2 });
    expect(calibration.brierScore).toBeCloseTo(0.7373, 4);
    expect(calibration.logScore).toBeCloseTo(-2.1028, 4);
    const records = (await t.http.get('/track-records/analysts').set('Authorization', x.auth).expect(200)).body;
    const of = (id: string) => records.find((r: { id: string }) => r.id === id);
    expect(of(x.id)).toMatchObject({ kind: 'analyst', claims: 1, coverage: 1 });
    expect(of(x.id).brierScore).toBeCloseTo(0.7373, 4);
    // y came in on day 5 of 11: scored over 6 days (Brier 0.04), coverage 6/11.
    expect(of(y.id).brierScore).toBeCloseTo(0.04, 10);
    expect(of(y.id).coverage).toBeCloseTo(6 / 11, 10);
    // Against the consensus over the same days, y did better: a positive peer score; x worse.
    expect(of(y.id).peerScore).toBeGreaterThan(0);
    expect(of(x.id).peerScore).toBeLessThan(0);
    expect(of('record').brierScore).toBeCloseTo(0.7373, 4);
    expect(records.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['record', 'consensus', 'evidence']));
    const detail = (await t.http.get(`/track-records/analysts/${y.id}`).set('Authorization', x.auth).expect(200)).body;
    expect(detail.scoredClaims).toMatchObject([{ claimId: claim.id, outcome: false, versions: 1, meanProbability: 0.2 }]);
    await t.http.get('/track-records/analysts/nobody').set('Authorization', x.auth).expect(404);

    // Annulled (ill-posed), the claim leaves every score; resolved again, it comes back (rescored, audited).
    await t.http.put(`/claims/${claim.id}/resolution/annulment`).set('Authorization', x.auth).send({ note: 'Ill-posed: "arms" was never defined.' }).expect(200);
    expect((await t.http.get('/calibration').set('Authorization', x.auth).expect(200)).body).toMatchObject({ claims: 0, brierScore: null });
    await t.http.post(`/claims/${claim.id}/assessments`).set('Authorization', x.auth).send({ probability: 0.5, confidence: 'low', rationale: 'r', baseVersion: 2 }).expect(409);
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ outcome: true, resolvedAt: new Date(start + 11 * DAY).toISOString() }).expect(200);
    const rescored = (await t.http.get('/calibration').set('Authorization', x.auth).expect(200)).body;
    expect(rescored.brierScore).toBeCloseTo((10 * 0.01 + 1 * 0.81) / 11, 10);
    const story = (await t.http.get('/audit').query({ entityId: claim.id }).set('Authorization', x.auth).expect(200)).body.items.map((e: { action: string }) => e.action);
    expect(story.slice(0, 3)).toEqual(['claim.resolve', 'claim.annul', 'claim.resolve']);
    await t.http.delete(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).expect(200);
  });

  it('puts each claim in the band of its time-weighted forecast, with a Wilson interval and Murphy\'s terms, per topic', async () => {
    // Four "likely" claims, three came true; one "very unlikely", false.
    for (const outcome of [true, true, true, false]) await timeline([[0, 0.7]], {}, outcome, 10, ['bands']);
    await timeline([[0, 0.1]], {}, false, 10, ['other']);
    const calibration = (await t.http.get('/calibration').set('Authorization', x.auth).expect(200)).body;
    const band = (term: string) => calibration.bands.find((b: { term: string }) => b.term === term);
    expect(band('likely')).toMatchObject({ claims: 4, observedFrequency: 0.75 });
    expect(band('likely').meanProbability).toBeCloseTo(0.7, 10);
    // Wilson 95 % for 3 of 4: 0.3006–0.9544.
    expect(band('likely').low).toBeCloseTo(0.3006, 3);
    expect(band('likely').high).toBeCloseTo(0.9544, 3);
    expect(band('very unlikely')).toMatchObject({ claims: 1, observedFrequency: 0 });
    expect(band('almost certain')).toMatchObject({ claims: 0, meanProbability: null, low: null });
    const { reliability, resolution, uncertainty } = calibration.murphy;
    expect(reliability - resolution + uncertainty).toBeCloseTo(calibration.brierScore, 10);
    expect(calibration.topics.find((t: { topic: string }) => t.topic === 'bands')).toMatchObject({ claims: 4 });
    await t.http.get('/calibration').expect(401);
  });

  it('keeps a track record of sources and originators: agreement with outcomes, its interval, and a suggested grade to apply or dismiss', async () => {
    const make = fixtures(t, x.auth);
    const source = await make.source({ reliability: 'D', fullText: undefined });
    const tass = (await t.http.post('/originators').set('Authorization', x.auth).send({ name: 'Track record agency', kind: 'state_media' }).expect(201)).body;
    // 12 claims, each with one supporting item from the source, attributed to the agency; 11 come true.
    for (let i = 0; i < 12; i++) {
      const claim = await make.claim();
      await make.evidence(claim.id, source.id, { quote: `Item ${i}.`, originatorId: tass.id });
      await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ outcome: i < 11, resolvedAt: new Date().toISOString() }).expect(200);
    }
    const sources = (await t.http.get('/track-records/sources').set('Authorization', x.auth).expect(200)).body;
    const mine = sources.find((s: { id: string }) => s.id === source.id);
    // Beta(12, 2): mean 12/14 = 0.857, earning B (usually reliable) against its D.
    expect(mine).toMatchObject({ items: 12, agreed: 11, reliability: 'D', suggestedReliability: 'B' });
    expect(mine.mean).toBeCloseTo(12 / 14, 10);
    expect(mine.low).toBeGreaterThan(0.6);
    expect(mine.high).toBeLessThan(0.99);
    const originators = (await t.http.get('/track-records/originators').set('Authorization', x.auth).expect(200)).body;
    expect(originators.find((o: { id: string }) => o.id === tass.id)).toMatchObject({ items: 12, agreed: 11, reliability: null, suggestedReliability: 'B' });
    // Dismissed, that grade is not suggested again; applied as an ordinary regrade, none is.
    await t.http.post(`/track-records/sources/${source.id}/suggestion-dismissals`).set('Authorization', x.auth).send({ reliability: 'B' }).expect(204);
    expect((await t.http.get('/track-records/sources').set('Authorization', x.auth).expect(200)).body.find((s: { id: string }) => s.id === source.id).suggestedReliability).toBeNull();
    await t.http.post(`/track-records/things/${source.id}/suggestion-dismissals`).set('Authorization', x.auth).send({ reliability: 'B' }).expect(400);
    await t.http.post(`/track-records/originators/${source.id}/suggestion-dismissals`).set('Authorization', x.auth).send({ reliability: 'B' }).expect(404);
    expect(await t.prisma.gradeSuggestionDismissal.count()).toBe(1);
    await t.http.patch(`/originators/${tass.id}`).set('Authorization', x.auth).send({ reliability: 'B' }).expect(200);
    expect((await t.http.get('/track-records/originators').set('Authorization', x.auth).expect(200)).body.find((o: { id: string }) => o.id === tass.id).suggestedReliability).toBeNull();
  });
});

describe('consensus weighted by track records (CONSENSUS_WEIGHTING=track-record)', () => {
  let t: TestApp;
  let x: Awaited<ReturnType<TestApp['signIn']>>;
  let y: Awaited<ReturnType<TestApp['signIn']>>;
  beforeAll(async () => {
    t = await createTestApp({ CONSENSUS_WEIGHTING: 'track-record' });
    x = await t.signIn('analyst');
    y = await t.signIn('analyst');
  });
  afterAll(() => t.close());

  const DAY = 86_400_000;
  const start = Date.UTC(2024, 0, 1);
  const as = (session: Awaited<ReturnType<TestApp['signIn']>>) => ({ kind: 'user' as const, id: session.id, email: session.email, name: session.email, role: 'analyst' as const });
  const estimate = (who: Awaited<ReturnType<TestApp['signIn']>>, claimId: string, probability: number, at?: Date) =>
    t.app.get(EstimatesService).create(as(who), claimId, { probability, confidence: 'moderate', rationale: `${probability}`, baseVersion: 0 }, undefined, at ? { at } : {});

  it('weighs each analyst by exp(peer score) once they have 5 resolved claims, and re-pools the claims they estimated', async () => {
    // An open claim both estimate now: 0.7 and 0.3 pool to 50 % while weights are equal.
    const open = await t.app.get(ClaimsService).create(as(x), { statement: 'Still open', topics: ['weights'] });
    await estimate(x, open.id, 0.7);
    await estimate(y, open.id, 0.3);
    const team = async () => (await t.http.get(`/claims/${open.id}/confidence`).set('Authorization', x.auth).expect(200)).body.team;
    expect((await team()).consensus).toBeCloseTo(0.5, 10);
    // Five resolved claims where x said 0.9 and y 0.2 from the start, and each came true: the consensus said 0.6.
    for (let i = 0; i < 5; i++) {
      const claim = await t.app.get(ClaimsService).create(as(x), { statement: `Weighted ${i}` }, { at: new Date(start) });
      await estimate(x, claim.id, 0.9, new Date(start));
      await estimate(y, claim.id, 0.2, new Date(start));
      if (i === 4) expect((await team()).consensus).toBeCloseTo(0.5, 10); // four resolved: still equal
      await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ outcome: true, resolvedAt: new Date(start + 10 * DAY).toISOString() }).expect(200);
    }
    // Peer scores: x ln(0.9/0.6) → weight 1.5; y ln(0.2/0.6) → weight 1/3. Pooled: logit⁻¹((1.5 logit 0.7 + ⅓ logit 0.3) / (1.5 + ⅓)) = 0.6316.
    const weights = Object.fromEntries((await t.prisma.user.findMany({ where: { id: { in: [x.id, y.id] } } })).map((u) => [u.id, u.consensusWeight]));
    expect(weights[x.id]).toBeCloseTo(1.5, 10);
    expect(weights[y.id]).toBeCloseTo(1 / 3, 10);
    const pooled = 1 / (1 + Math.exp(-((1.5 - 1 / 3) * Math.log(7 / 3)) / (1.5 + 1 / 3)));
    expect(pooled).toBeCloseTo(0.6316, 4);
    expect((await team()).consensus).toBeCloseTo(pooled, 10);
    expect((await t.prisma.claim.findUniqueOrThrow({ where: { id: open.id } })).teamProbability).toBeCloseTo(pooled, 10);
    // A new estimate is pooled with the same weights by the write statement.
    const third = await t.app.get(ClaimsService).create(as(x), { statement: 'Fresh' });
    await estimate(x, third.id, 0.7);
    await estimate(y, third.id, 0.3);
    expect((await t.prisma.claim.findUniqueOrThrow({ where: { id: third.id } })).teamProbability).toBeCloseTo(pooled, 10);
  });
});
