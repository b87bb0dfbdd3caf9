import { pause } from './support/wait.js';
import { AssessmentsService } from '../src/assessments/assessments.service.js';
import { analystSession, type Fixtures, rowCounts } from './support/fixtures.js';
import type { TestApp } from './support/test-app.js';

describe('assessments', () => {
  let t: TestApp;
  let analyst: Awaited<ReturnType<TestApp['signIn']>>;
  let auth: string;
  let make: Fixtures;
  beforeAll(async () => ({ t, analyst, auth, make } = await analystSession()));
  afterAll(() => t.close());

  it('appends numbered versions with the ICD 203 term, author and cited evidence', async () => {
    const source = await make.source();
    const claim = await make.claim();
    const item = await make.evidence(claim.id, source.id);
    const res = await t.http
      .post(`/claims/${claim.id}/assessments`)
      .set('Authorization', auth)
      .send({ probability: 0.85, confidence: 'moderate', rationale: 'Shipments via third countries.', evidenceIds: [item.id], baseVersion: 0 })
      .expect(201);
    expect(res.headers.location).toBe(`/claims/${claim.id}/assessments/1`);
    expect(res.body).toMatchObject({
      version: 1,
      probability: 0.85,
      estimativeTerm: 'very likely',
      confidence: 'moderate',
      evidenceIds: [item.id],
      createdById: analyst.id,
    });
    const second = await make.assess(claim.id, 1, { probability: 0.5 });
    expect(second).toMatchObject({ version: 2, estimativeTerm: 'roughly even chance' });
    const history = await t.http.get(`/claims/${claim.id}/assessments`).set('Authorization', auth).expect(200);
    expect(history.body.items.map((a: { version: number }) => a.version)).toEqual([2, 1]);
    expect(history.body.total).toBe(2);
    const first = await t.http.get(`/claims/${claim.id}/assessments/1`).set('Authorization', auth).expect(200);
    expect(first.body.probability).toBe(0.85);
    const view = await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200);
    expect(view.body.assessment.version).toBe(2);
  });

  it('refuses a stale baseVersion with 409 and the version that won, overwriting nothing', async () => {
    const claim = await make.claim();
    await make.assess(claim.id, 0, { probability: 0.3, rationale: 'First view.' });
    await make.assess(claim.id, 1, { probability: 0.4, rationale: 'Second view.' });
    const before = await rowCounts(t);
    const res = await t.http
      .post(`/claims/${claim.id}/assessments`)
      .set('Authorization', auth)
      .send({ probability: 0.9, confidence: 'high', rationale: 'Based on the first view.', baseVersion: 1 })
      .expect(409);
    expect(res.body).toMatchObject({ currentVersion: 2, current: { version: 2, rationale: 'Second view.' } });
    expect(await rowCounts(t)).toEqual(before);
  });

  it('takes the base version from If-Match with the claim ETag', async () => {
    const claim = await make.claim();
    const read = await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200);
    const body = { probability: 0.7, confidence: 'low', rationale: 'From the ETag.' };
    await t.http.post(`/claims/${claim.id}/assessments`).set('Authorization', auth).set('If-Match', read.headers.etag).send(body).expect(201);
    await t.http.post(`/claims/${claim.id}/assessments`).set('Authorization', auth).set('If-Match', read.headers.etag).send(body).expect(409);
    await t.http.post(`/claims/${claim.id}/assessments`).set('Authorization', auth).send(body).expect(428);
    await t.http.post(`/claims/${claim.id}/assessments`).set('Authorization', auth).set('If-Match', 'garbage').send(body).expect(400);
    // A version beyond PostgreSQL's integers is no ETag of ours (it answered 500 once).
    await t.http.post(`/claims/${claim.id}/assessments`).set('Authorization', auth).set('If-Match', '"2052492694214658.abc"').send(body).expect(400);
  });

  it.each([
    ['probability', { probability: 1.5 }],
    ['probability', { probability: -0.1 }],
    ['probability', { probability: '0.5' }],
    ['confidence', { confidence: 'certain' }],
    ['rationale', { rationale: undefined }],
    ['rationale', { rationale: '   ' }],
    ['baseVersion', { baseVersion: -1 }],
    ['baseVersion', { baseVersion: 2052492694214658 }],
    ['evidenceIds', { evidenceIds: ['x'] }],
    ['version', { version: 7 }],
  ])('refuses bad %s with a 400 naming it', async (field, override) => {
    const claim = await make.claim();
    const before = await rowCounts(t);
    const res = await t.http
      .post(`/claims/${claim.id}/assessments`)
      .set('Authorization', auth)
      .send({ probability: 0.5, confidence: 'low', rationale: 'ok', baseVersion: 0, ...override })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await rowCounts(t)).toEqual(before);
  });

  it("refuses evidence of another claim", async () => {
    const source = await make.source();
    const claim = await make.claim();
    const other = await make.claim();
    const foreign = await make.evidence(other.id, source.id);
    const res = await t.http
      .post(`/claims/${claim.id}/assessments`)
      .set('Authorization', auth)
      .send({ probability: 0.5, confidence: 'low', rationale: 'ok', baseVersion: 0, evidenceIds: [foreign.id] })
      .expect(422);
    expect(res.body.errors[0].field).toBe('evidenceIds');
  });

  it('lets exactly one of many concurrent revisions of the same version win', async () => {
    const claim = await make.claim();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http
          .post(`/claims/${claim.id}/assessments`)
          .set('Authorization', auth)
          .send({ probability: i / 20, confidence: 'low', rationale: `Attempt ${i}`, baseVersion: 0 }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await t.prisma.assessment.count({ where: { claimId: claim.id } })).toBe(1);
  });

  it('lists the history as of a moment', async () => {
    const claim = await make.claim();
    await make.assess(claim.id, 0);
    await pause(20);
    const then = new Date().toISOString();
    await pause(20);
    await make.assess(claim.id, 1);
    const res = await t.http.get(`/claims/${claim.id}/assessments`).query({ asOf: then }).set('Authorization', auth).expect(200);
    expect(res.body.items.map((a: { version: number }) => a.version)).toEqual([1]);
  });

  it('writes versions asked for in the same moment together, each with its own outcome', async () => {
    const source = await make.source();
    const claims = [];
    for (let i = 0; i < 6; i++) claims.push(await make.claim());
    const [fresh1, fresh2, stale, twice, cites, archived] = claims;
    await make.assess(stale.id, 0);
    const foreign = await make.evidence(fresh1.id, source.id);
    await t.http.delete(`/claims/${archived.id}`).set('Authorization', auth).expect(204);
    const principal = { kind: 'user' as const, id: analyst.id, email: analyst.email, name: 'Test analyst', role: 'analyst' as const };
    const service = t.app.get(AssessmentsService);
    const write = (claimId: string, baseVersion: number, evidenceIds?: string[]) =>
      service.create(principal, claimId, { probability: 0.4, confidence: 'low', rationale: 'Same moment.', baseVersion, evidenceIds }).then(
        (response) => ({ status: 201, version: response.version }),
        (error: { getStatus(): number }) => ({ status: error.getStatus() }),
      );
    const before = await rowCounts(t);
    // Started in one turn of the event loop, these are written by as few statements as their claims allow.
    const outcomes = await Promise.all([
      write(fresh1.id, 0),
      write(fresh2.id, 0),
      write(stale.id, 0),
      write(twice.id, 0),
      write(twice.id, 0),
      write(cites.id, 0, [foreign.id]),
      write(archived.id, 0),
      write('00000000-0000-4000-8000-000000000000', 0),
    ]);
    expect(outcomes).toEqual([
      { status: 201, version: 1 },
      { status: 201, version: 1 },
      { status: 409 },
      { status: 201, version: 1 },
      { status: 409 },
      { status: 422 },
      { status: 409 },
      { status: 404 },
    ]);
    const after = await rowCounts(t);
    expect(after.assessments - before.assessments).toBe(3);
    for (const claim of [fresh1, fresh2, twice]) {
      const history = await t.http.get(`/claims/${claim.id}/assessments`).set('Authorization', auth).expect(200);
      expect(history.body.items.map((item: { version: number }) => item.version)).toEqual([1]);
      const audit = await t.http.get('/audit').query({ entityId: history.body.items[0].id }).set('Authorization', auth).expect(200);
      expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['assessment.create']);
    }
  });
});

