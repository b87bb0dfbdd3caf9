import { analystSession, type Fixtures, rowCounts } from './support/fixtures.js';
import type { TestApp } from './support/test-app.js';

describe('questions with competing hypotheses (ACH)', () => {
  let t: TestApp;
  let auth: string;
  let make: Fixtures;
  beforeAll(async () => ({ t, auth, make } = await analystSession()));
  afterAll(() => t.close());

  it('builds the matrix, scores each hypothesis by weighted inconsistency and marks non-diagnostic evidence', async () => {
    const source = await make.source();
    const none = await make.claim({ statement: 'China gives Russia no military support' });
    const dualUse = await make.claim({ statement: 'Only dual-use goods flow, through companies' });
    const lethal = await make.claim({ statement: 'China supplies state-approved lethal aid' });
    const shipped = await make.evidence(dualUse.id, source.id, { quote: 'Chinese firms shipped dual-use components', credibility: 2 });
    const denied = await make.evidence(none.id, source.id, { stance: 'supports', quote: 'Beijing has repeatedly denied', credibility: 5 });

    const created = await t.http
      .post('/questions')
      .set('Authorization', auth)
      .send({ title: 'What military support is China giving Russia?', hypothesisIds: [none.id, dualUse.id, lethal.id] })
      .expect(201);
    expect(created.body.hypotheses.map((h: { claimId: string }) => h.claimId)).toEqual([none.id, dualUse.id, lethal.id]);
    expect(created.body.evidence).toHaveLength(2);

    const rated = await t.http
      .put(`/questions/${created.body.id}/ratings`)
      .set('Authorization', auth)
      .send({
        ratings: [
          { evidenceId: shipped.id, claimId: none.id, consistency: 'II', relevance: 'high' },
          { evidenceId: shipped.id, claimId: dualUse.id, consistency: 'C', relevance: 'high' },
          { evidenceId: shipped.id, claimId: lethal.id, consistency: 'I' },
          { evidenceId: denied.id, claimId: none.id, consistency: 'C', relevance: 'low' },
          { evidenceId: denied.id, claimId: dualUse.id, consistency: 'C', relevance: 'low' },
          { evidenceId: denied.id, claimId: lethal.id, consistency: 'C', relevance: 'low' },
        ],
      })
      .expect(200);
    const score = (id: string) => rated.body.hypotheses.find((h: { claimId: string }) => h.claimId === id).inconsistencyScore;
    // Credibility 2 → high (√2). none: √2 × √2 × −2 = −4; dual-use: 0; lethal: √2 × 1 × −1 = −1.4142.
    expect(score(none.id)).toBeCloseTo(-4, 10);
    expect(score(dualUse.id)).toBe(0);
    expect(score(lethal.id)).toBeCloseTo(-Math.SQRT2, 10);
    const row = (id: string) => rated.body.evidence.find((e: { evidenceId: string }) => e.evidenceId === id);
    expect(row(shipped.id)).toMatchObject({ diagnostic: true, grade: 'B2' });
    expect(row(denied.id).diagnostic).toBe(false);
    // A cell rated again is replaced.
    const again = await t.http
      .put(`/questions/${created.body.id}/ratings`)
      .set('Authorization', auth)
      .send({ ratings: [{ evidenceId: shipped.id, claimId: lethal.id, consistency: 'N' }] })
      .expect(200);
    expect(again.body.hypotheses.find((h: { claimId: string }) => h.claimId === lethal.id).inconsistencyScore).toBe(0);

    // The report carries the matrix too.
    const markdown = await t.http.get('/reports/claims').query({ format: 'md' }).set('Authorization', auth).expect(200);
    expect(markdown.text).toContain('## Question: What military support is China giving Russia?');
    expect(markdown.text).toContain('| **Weighted inconsistency** | -4.00 | 0.00 | 0.00 |');
    const json = await t.http.get('/reports/claims').query({ format: 'json' }).set('Authorization', auth).expect(200);
    expect(JSON.parse(json.text).questions[0].hypotheses).toHaveLength(3);
  });

  it('refuses malformed questions and ratings, and writes from viewers', async () => {
    const a = await make.claim();
    const b = await make.claim();
    const other = await make.claim();
    const otherEvidence = await make.evidence(other.id, (await make.source()).id);
    const before = await rowCounts(t);
    await t.http.post('/questions').set('Authorization', auth).send({ title: 'One hypothesis', hypothesisIds: [a.id] }).expect(400);
    const unknown = await t.http
      .post('/questions')
      .set('Authorization', auth)
      .send({ title: 'Unknown', hypothesisIds: [a.id, '00000000-0000-4000-8000-000000000000'] })
      .expect(422);
    expect(unknown.body.errors[0].field).toBe('hypothesisIds');
    expect(await rowCounts(t)).toEqual(before);
    const question = await t.http.post('/questions').set('Authorization', auth).send({ title: 'Q', hypothesisIds: [a.id, b.id] }).expect(201);
    await t.http
      .put(`/questions/${question.body.id}/ratings`)
      .set('Authorization', auth)
      .send({ ratings: [{ evidenceId: otherEvidence.id, claimId: a.id, consistency: 'C' }] })
      .expect(422);
    await t.http
      .put(`/questions/${question.body.id}/ratings`)
      .set('Authorization', auth)
      .send({ ratings: [{ evidenceId: otherEvidence.id, claimId: a.id, consistency: 'maybe' }] })
      .expect(400);
    const viewer = await t.signIn('viewer');
    await t.http.post('/questions').set('Authorization', viewer.auth).send({ title: 'Q', hypothesisIds: [a.id, b.id] }).expect(403);
    await t.http.get(`/questions/${question.body.id}`).set('Authorization', viewer.auth).expect(200);
    await t.http.get('/questions').set('Authorization', viewer.auth).expect(200);
  });
});
