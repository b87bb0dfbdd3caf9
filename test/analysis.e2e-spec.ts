import { pause } from './support/wait.js';
import { fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';


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
    const body = { outcome: true, resolvedAt: '2022-02-24T00:00:00Z', sourceId: source.id, note: 'It happened.' };
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', viewer.auth).send(body).expect(403);
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ outcome: true }).expect(400);
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ ...body, outcome: 'yes' }).expect(400);
    const unknown = await t.http
      .put(`/claims/${claim.id}/resolution`)
      .set('Authorization', x.auth)
      .send({ ...body, sourceId: '00000000-0000-4000-8000-000000000000' })
      .expect(422);
    expect(unknown.body.errors[0].field).toBe('sourceId');
    const res = await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send(body).expect(200);
    expect(res.body).toMatchObject({ status: 'resolved_true', resolvedAt: '2022-02-24T00:00:00.000Z', resolutionSourceId: source.id, resolutionNote: 'It happened.' });
    // Resolved statuses come only with a resolution.
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', x.auth).send({ status: 'resolved_false' }).expect(400);
    await t.http.post('/claims').set('Authorization', x.auth).send({ statement: 'Born resolved', status: 'resolved_true' }).expect(400);
    await t.http.delete(`/sources/${source.id}?hard=true`).set('Authorization', x.auth).expect(409);
  });

  it('closes a resolved claim to new assessments (409, saying how to re-open it) until it is re-opened', async () => {
    const make = fixtures(t, x.auth);
    const claim = await make.claim();
    await make.assess(claim.id, 0, { probability: 0.7 });
    await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', x.auth).send({ outcome: false, resolvedAt: '2023-01-01T00:00:00Z' }).expect(200);
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

  it('scores every assessment made before resolution, per analyst and per band', async () => {
    const claimA = await fixtures(t, x.auth).claim();
    const claimB = await fixtures(t, y.auth).claim();
    await fixtures(t, x.auth).assess(claimA.id, 0, { probability: 0.9 });
    await fixtures(t, y.auth).assess(claimB.id, 0, { probability: 0.2 });
    await fixtures(t, y.auth).assess(claimB.id, 1, { probability: 0.7 });
    await pause(20);
    const resolvedAt = new Date().toISOString();
    await pause(20);
    await fixtures(t, y.auth).assess(claimB.id, 2, { probability: 0.01 }); // after the fact: not a forecast
    await t.http.put(`/claims/${claimA.id}/resolution`).set('Authorization', x.auth).send({ outcome: true, resolvedAt }).expect(200);
    await t.http.put(`/claims/${claimB.id}/resolution`).set('Authorization', y.auth).send({ outcome: false, resolvedAt }).expect(200);

    const res = await t.http.get('/calibration').set('Authorization', x.auth).expect(200);
    // x: (0.9 − 1)² = 0.01. y: (0.2 − 0)² = 0.04 and (0.7 − 0)² = 0.49, mean 0.265. All: 0.54 / 3 = 0.18.
    expect(res.body).toMatchObject({ claims: 2, forecasts: 3 });
    expect(res.body.brierScore).toBeCloseTo(0.18, 10);
    const byAnalyst = Object.fromEntries(res.body.analysts.map((a: { analystId: string; brierScore: number }) => [a.analystId, a.brierScore]));
    expect(byAnalyst[x.id]).toBeCloseTo(0.01, 10);
    expect(byAnalyst[y.id]).toBeCloseTo(0.265, 10);
    const band = (term: string) => res.body.bands.find((b: { term: string }) => b.term === term);
    expect(band('very likely')).toMatchObject({ forecasts: 1, observedFrequency: 1 });
    expect(band('likely')).toMatchObject({ forecasts: 1, observedFrequency: 0 });
    expect(band('unlikely')).toMatchObject({ forecasts: 1, observedFrequency: 0 });
    expect(band('almost no chance')).toMatchObject({ forecasts: 0 });
    await t.http.get('/calibration').expect(401);
  });
});
