import { analystSession, ARTICLE, type Fixtures, rowCounts } from './support/fixtures.js';
import type { TestApp } from './support/test-app.js';

describe('sources', () => {
  let t: TestApp;
  let auth: string;
  let make: Fixtures;
  beforeAll(async () => ({ t, auth, make } = await analystSession()));
  afterAll(() => t.close());

  it('records a source with its grade, grader, normalised URL and dated precision', async () => {
    const analyst = await t.signIn('analyst');
    const res = await t.http
      .post('/sources')
      .set('Authorization', analyst.auth)
      .send({
        title: '  Xi and Putin meet  ',
        kind: 'news_report',
        url: 'HTTPS://News.Example.org/story/?utm_source=feed#top',
        publishedOn: '2022-09',
        dateInferred: true,
        language: 'en',
        reliability: 'C',
        reliabilityNotes: 'Wire copy, no byline.',
        fullText: ARTICLE,
      })
      .expect(201);
    expect(res.body).toMatchObject({
      title: 'Xi and Putin meet',
      url: 'https://news.example.org/story',
      publishedOn: '2022-09',
      datePrecision: 'month',
      dateInferred: true,
      reliability: 'C',
      gradedById: analyst.id,
      fullTextLength: ARTICLE.length,
    });
    expect(new Date(res.body.gradedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const read = await t.http.get(`/sources/${res.body.id}`).set('Authorization', auth).expect(200);
    expect(read.body.fullText).toBe(ARTICLE);
  });

  it('refuses a second source with the same URL spelled differently, naming the first', async () => {
    const first = await make.source({ url: 'https://example.org/a?x=1&y=2' });
    const before = await rowCounts(t);
    const res = await t.http
      .post('/sources')
      .set('Authorization', auth)
      .send({ title: 'Copy', kind: 'analysis', url: 'https://EXAMPLE.org/a/?y=2&x=1&utm_medium=x' })
      .expect(409);
    expect(res.body.existingId).toBe(first.id);
    expect(await rowCounts(t)).toEqual(before);
  });

  it.each([
    [{ title: 'x', kind: 'rumour' }, 'kind'],
    [{ title: 'x', kind: 'analysis', reliability: 'G' }, 'reliability'],
    [{ title: 'x', kind: 'analysis', url: 'ftp://example.org/file' }, 'url'],
    [{ title: 'x', kind: 'analysis', publishedOn: '2023-13-01' }, 'publishedOn'],
    [{ title: 42, kind: 'analysis' }, 'title'],
    [{ title: '   ', kind: 'analysis' }, 'title'],
    [{ title: 'x', kind: 'analysis', gradedById: '00000000-0000-0000-0000-000000000000' }, 'gradedById'],
  ])('refuses %j naming %s, and stores nothing', async (body, field) => {
    const before = await rowCounts(t);
    const res = await t.http.post('/sources').set('Authorization', auth).send(body).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('lists with filters, full-text search and cursor pagination that visits each source once', async () => {
    const tag = `Zeppelin${Date.now()}`;
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await make.source({ title: `${tag} report ${i}`, kind: 'intelligence_report', reliability: 'A' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; total: number; nextCursor: string | null } } = await t.http
        .get('/sources')
        .query({ q: tag, limit: 2, ...(cursor ? { cursor } : {}) })
        .set('Authorization', auth)
        .expect(200);
      expect(res.body.total).toBe(5);
      seen.push(...res.body.items.map((s) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(created.map((s) => s.id).sort());
    const filtered = await t.http.get('/sources').query({ kind: 'intelligence_report', reliability: 'A' }).set('Authorization', auth).expect(200);
    expect(filtered.body.total).toBe(5);
    expect(filtered.body.items[0]).not.toHaveProperty('fullText');
    await t.http.get('/sources').query({ limit: 501 }).set('Authorization', auth).expect(400);
  });

  it('records a regrade with its grader and an audit event holding before and after', async () => {
    const source = await make.source({ reliability: 'C' });
    const other = await t.signIn('analyst');
    const res = await t.http.patch(`/sources/${source.id}`).set('Authorization', other.auth).send({ reliability: 'B' }).expect(200);
    expect(res.body).toMatchObject({ reliability: 'B', gradedById: other.id });
    const audit = await t.http.get('/audit').query({ entityId: source.id }).set('Authorization', auth).expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'source.update',
      actorId: other.id,
      actor: other.email,
      before: { reliability: 'C' },
      after: { reliability: 'B' },
    });
  });

  it('archives referenced sources and refuses to erase them; erases unreferenced ones', async () => {
    const source = await make.source();
    const claim = await make.claim();
    await make.evidence(claim.id, source.id);
    await t.http.delete(`/sources/${source.id}?hard=true`).set('Authorization', auth).expect(409);
    await t.http.patch(`/sources/${source.id}`).set('Authorization', auth).send({ fullText: 'Something else entirely.' }).expect(422);
    await t.http.delete(`/sources/${source.id}`).set('Authorization', auth).expect(204);
    const archived = await t.http.get(`/sources/${source.id}`).set('Authorization', auth).expect(200);
    expect(archived.body.archivedAt).not.toBeNull();
    const listed = await t.http.get('/sources').query({ limit: 500 }).set('Authorization', auth).expect(200);
    expect(listed.body.items.map((s: { id: string }) => s.id)).not.toContain(source.id);

    const loose = await make.source();
    await t.http.delete(`/sources/${loose.id}?hard=true`).set('Authorization', auth).expect(204);
    await t.http.get(`/sources/${loose.id}`).set('Authorization', auth).expect(404);
    await t.http.get('/sources/not-a-uuid').set('Authorization', auth).expect(400);
  });
});
