import { pause } from './support/wait.js';
import { analystSession, type Fixtures, rowCounts } from './support/fixtures.js';
import type { TestApp } from './support/test-app.js';


describe('claims', () => {
  let t: TestApp;
  let auth: string;
  let make: Fixtures;
  beforeAll(async () => ({ t, auth, make } = await analystSession()));
  afterAll(() => t.close());

  it('records a claim with where it appears, and refuses duplicates ignoring case, punctuation and spacing', async () => {
    const source = await make.source();
    const res = await t.http
      .post('/claims')
      .set('Authorization', auth)
      .send({
        statement: 'China is supplying arms to Russia',
        topics: ['Arms', 'arms', ' ukraine-war '],
        entities: ['China', 'Russia'],
        appearances: [{ sourceId: source.id, quote: 'Beijing has repeatedly denied supplying weapons to Moscow.' }],
      })
      .expect(201);
    expect(res.headers.location).toBe(`/claims/${res.body.id}`);
    expect(res.body).toMatchObject({
      statement: 'China is supplying arms to Russia',
      topics: ['arms', 'ukraine-war'],
      status: 'open',
      assessment: null,
      evidenceCounts: { supports: 0, contradicts: 0, context: 0 },
      appearances: [{ sourceId: source.id, sourceTitle: source.title }],
    });

    const before = await rowCounts(t);
    const dup = await t.http.post('/claims').set('Authorization', auth).send({ statement: 'china is SUPPLYING arms  to russia!!' }).expect(409);
    expect(dup.body.existingId).toBe(res.body.id);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('refuses a claim whose appearance quote is not in the source, and stores nothing of it', async () => {
    const source = await make.source();
    const before = await rowCounts(t);
    const res = await t.http
      .post('/claims')
      .set('Authorization', auth)
      .send({ statement: 'Quote check claim', appearances: [{ sourceId: source.id, quote: 'Beijing confirmed the deliveries.' }] })
      .expect(422);
    expect(res.body.errors[0].field).toBe('appearances[0].quote');
    expect(await rowCounts(t)).toEqual(before);
  });

  it.each([
    ['statement', 'of 1 MB', { statement: 'x'.repeat(1_000_000) }],
    ['status', 'not in the list', { statement: 'Fine', status: 'maybe' }],
    ['topics', 'not an array', { statement: 'Fine', topics: 'arms' }],
    ['id', 'set by the client', { statement: 'Fine', id: '00000000-0000-0000-0000-000000000000' }],
    ['appearances[0].sourceId', 'not a UUID', { statement: 'Fine', appearances: [{ sourceId: 'nope', quote: 'q' }] }],
    ['statement', 'of punctuation only', { statement: '!!!' }],
  ])('refuses a claim whose %s is %s, naming the field', async (field, _why, body) => {
    const before = await rowCounts(t);
    const res = await t.http.post('/claims').set('Authorization', auth).send(body).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('filters by topic, status, entity, source and text in statements and quotes, and sorts by probability', async () => {
    const source = await make.source();
    const a = await make.claim({ statement: 'Wagner recruits in Syria', topics: ['mercenaries'], entities: ['Wagner'], status: 'disputed' });
    const b = await make.claim({ statement: 'Grain exports fell sharply', topics: ['mercenaries'], entities: ['Ukraine'] });
    await make.evidence(b.id, source.id, { quote: 'The summit ended without any public announcement on arms deals.' });
    await make.assess(a.id, 0, { probability: 0.3 });
    await make.assess(b.id, 0, { probability: 0.9 });

    const get = (query: Record<string, string>) => t.http.get('/claims').query(query).set('Authorization', auth).expect(200);
    const ids = async (query: Record<string, string>) => (await get(query)).body.items.map((c: { id: string }) => c.id);
    expect(await ids({ topic: 'Mercenaries' })).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await ids({ status: 'disputed' })).toEqual([a.id]);
    expect(await ids({ entity: 'Wagner' })).toEqual([a.id]);
    expect(await ids({ source: source.id })).toEqual([b.id]);
    expect(await ids({ q: 'recruiting syria' })).toEqual([a.id]);
    expect(await ids({ q: 'announcement' })).toEqual([b.id]);
    expect(await ids({ topic: 'mercenaries', sort: '-probability' })).toEqual([b.id, a.id]);
    expect(await ids({ topic: 'mercenaries', sort: 'probability' })).toEqual([a.id, b.id]);
    const page = await get({ topic: 'mercenaries' });
    expect(page.body.items.find((c: { id: string }) => c.id === b.id).evidenceCounts).toEqual({ supports: 1, contradicts: 0, context: 0 });
    await t.http.get('/claims').query({ sort: 'probability', asOf: new Date().toISOString() }).set('Authorization', auth).expect(400);
    await t.http.get('/claims').query({ status: 'maybe' }).set('Authorization', auth).expect(400);
    await t.http.get('/claims').query({ unknown: '1' }).set('Authorization', auth).expect(400);
  });

  it('pages on past a deleted row, refuses made-up cursors and cursors of another order', async () => {
    const topic = `paging-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await make.claim({ topics: [topic], statement: `Paged claim ${i} ${topic}` })).id);
    const list = (query: Record<string, string | number>) => t.http.get('/claims').query({ topic, ...query }).set('Authorization', auth);
    const first = await list({ limit: 1 }).expect(200);
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
    // The row the cursor was made from is erased before the next page is asked for.
    await t.http.delete(`/claims/${ids[3]}`).query({ hard: 'true' }).set('Authorization', auth).expect(204);
    const second = await list({ limit: 2, cursor: first.body.nextCursor }).expect(200);
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    const third = await list({ limit: 2, cursor: second.body.nextCursor }).expect(200);
    expect(third.body).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });

    for (const cursor of ['garbage', '00000000-0000-4000-8000-000000000000', Buffer.from('[1,2,3]').toString('base64url')]) {
      const bad = await list({ cursor }).expect(400);
      expect(bad.body.errors[0].field).toBe('cursor');
    }
    await list({ cursor: first.body.nextCursor, sort: 'probability' }).expect(400);
    // Well-formed cursors whose sort value the column cannot hold: a 400 naming the cursor, not the database's error.
    const made = (field: string, value: unknown) => Buffer.from(JSON.stringify([ids[0], field, value])).toString('base64url');
    const claimId = ids[0];
    for (const [path, sort, cursor] of [
      ['/claims', '-updatedAt', made('updatedAt', 5)],
      ['/claims', '-updatedAt', made('updatedAt', { at: '+020000-01-01T00:00:00.000Z' })],
      ['/claims', '-updatedAt', made('updatedAt', null)],
      ['/claims', 'probability', made('currentProbability', 'likely')],
      ['/claims', '-dissent', made('teamBandSpan', 1.5)],
      ['/claims', '-teamGap', made('teamGap', 2 ** 40)],
      [`/claims/${claimId}/evidence`, 'credibility', made('credibility', 2 ** 40)],
      [`/claims/${claimId}/evidence`, '-diagnosticity', made('diagnosticity', { at: '2024-01-01T00:00:00Z' })],
      ['/confidence', undefined, made('updatedAt', { at: '-000100-01-01T00:00:00.000Z' })],
      ['/confidence', undefined, made('updatedAt', 7)],
    ] as const) {
      const bad = await t.http.get(path).query({ cursor, ...(sort ? { sort } : {}) }).set('Authorization', auth);
      expect([path, sort, bad.status, bad.body.errors?.[0]?.field]).toEqual([path, sort, 400, 'cursor']);
    }
    await t.http.get('/questions').query({ cursor: first.body.nextCursor }).set('Authorization', auth).expect(400);
    await t.http.get('/confidence').query({ cursor: 'garbage' }).set('Authorization', auth).expect(400);
    // Sorted by probability (nulls last), pages still meet end to end.
    const seen: string[] = [];
    for (let cursor: string | null | undefined; cursor !== null; ) {
      const page = await list({ limit: 1, sort: '-probability', ...(cursor ? { cursor } : {}) }).expect(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    }
    expect(seen.sort()).toEqual(ids.slice(0, 3).sort());
  });

  it('answers asOf reads with what was in force then', async () => {
    const claim = await make.claim({ statement: 'Time travel claim', status: 'open' });
    await make.assess(claim.id, 0, { probability: 0.2 });
    await pause(20);
    const then = new Date().toISOString();
    await pause(20);
    await make.assess(claim.id, 1, { probability: 0.8 });
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', auth).send({ status: 'supported' }).expect(200);
    const later = await make.claim({ statement: 'Made after the moment' });

    const past = await t.http.get(`/claims/${claim.id}`).query({ asOf: then }).set('Authorization', auth).expect(200);
    expect(past.body).toMatchObject({ status: 'open', assessment: { version: 1, probability: 0.2 } });
    const now = await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200);
    expect(now.body).toMatchObject({ status: 'supported', assessment: { version: 2, probability: 0.8, estimativeTerm: 'likely' } });
    const list = await t.http.get('/claims').query({ asOf: then, limit: 500 }).set('Authorization', auth).expect(200);
    const ids = list.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(claim.id);
    expect(ids).not.toContain(later.id);
    await t.http.get(`/claims/${later.id}`).query({ asOf: then }).set('Authorization', auth).expect(404);
  });

  it('answers asOf the moment a claim was made as lists select it: counted, listed and found', async () => {
    const claim = await make.claim({ statement: 'Recorded a moment after it was made', topics: ['moment'] });
    // Its audit record is written after created_at (as it is, by a few milliseconds, when a transaction is slow).
    await t.prisma.$executeRaw`UPDATE audit_events SET at = at + interval '50 milliseconds' WHERE entity_type = 'claim' AND entity_id = ${claim.id}::uuid`;
    const { createdAt } = await t.prisma.claim.findUniqueOrThrow({ where: { id: claim.id } });
    const asOf = new Date(createdAt.getTime() + 10).toISOString();

    const list = await t.http.get('/claims').query({ asOf, topic: 'moment' }).set('Authorization', auth).expect(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items).toEqual([expect.objectContaining({ id: claim.id, statement: claim.statement })]);
    await t.http.get(`/claims/${claim.id}`).query({ asOf }).set('Authorization', auth).expect(200);
    await t.http.get(`/claims/${claim.id}`).query({ asOf: new Date(createdAt.getTime() - 10).toISOString() }).set('Authorization', auth).expect(404);
  });

  it('refuses an edit based on a stale ETag (412) and a statement that duplicates another claim (409)', async () => {
    const claim = await make.claim({ statement: 'Editable claim' });
    await make.claim({ statement: 'Another claim entirely' });
    const read = await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200);
    const etag = read.headers.etag;
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', auth).set('If-Match', etag).send({ description: 'first' }).expect(200);
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', auth).set('If-Match', etag).send({ description: 'second' }).expect(412);
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', auth).send({ statement: 'another claim, entirely.' }).expect(409);
    const after = await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200);
    expect(after.body).toMatchObject({ description: 'first', statement: 'Editable claim' });
  });

  it('archives claims with history, erases empty ones, and keeps an audit trail of both', async () => {
    const claim = await make.claim();
    await make.assess(claim.id, 0);
    await t.http.delete(`/claims/${claim.id}?hard=true`).set('Authorization', auth).expect(409);
    await t.http.delete(`/claims/${claim.id}`).set('Authorization', auth).expect(204);
    expect((await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200)).body.archivedAt).not.toBeNull();
    const visible = await t.http.get('/claims').query({ limit: 500 }).set('Authorization', auth).expect(200);
    expect(visible.body.items.map((c: { id: string }) => c.id)).not.toContain(claim.id);
    const all = await t.http.get('/claims').query({ limit: 500, includeArchived: 'true' }).set('Authorization', auth).expect(200);
    expect(all.body.items.map((c: { id: string }) => c.id)).toContain(claim.id);
    await t.http
      .post(`/claims/${claim.id}/assessments`)
      .set('Authorization', auth)
      .send({ probability: 0.5, confidence: 'low', rationale: 'r', baseVersion: 1 })
      .expect(409);

    const empty = await make.claim();
    await t.http.delete(`/claims/${empty.id}?hard=true`).set('Authorization', auth).expect(204);
    await t.http.get(`/claims/${empty.id}`).set('Authorization', auth).expect(404);
    const audit = await t.http.get('/audit').query({ entityId: empty.id }).set('Authorization', auth).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['claim.delete', 'claim.create']);
  });

  it('adds and removes appearances with verbatim quotes', async () => {
    const source = await make.source();
    const claim = await make.claim();
    const added = await t.http
      .post(`/claims/${claim.id}/appearances`)
      .set('Authorization', auth)
      .send({ sourceId: source.id, quote: 'Officials said Chinese firms shipped' })
      .expect(201);
    await t.http
      .post(`/claims/${claim.id}/appearances`)
      .set('Authorization', auth)
      .send({ sourceId: source.id, quote: 'officials said chinese firms shipped' })
      .expect(422);
    const list = await t.http.get(`/claims/${claim.id}/appearances`).set('Authorization', auth).expect(200);
    expect(list.body).toHaveLength(1);
    await t.http.delete(`/claims/${claim.id}/appearances/${added.body.id}`).set('Authorization', auth).expect(204);
    expect((await t.http.get(`/claims/${claim.id}/appearances`).set('Authorization', auth).expect(200)).body).toHaveLength(0);
  });

  it('pages through every sort and filter of the claim list, the confidence feed and reports, each claim once, in order', async () => {
    const [reuters, tass] = [await make.source(), await make.source()];
    const quote = 'Officials said Chinese firms shipped dual-use components through third countries.';
    const made: { id: string }[] = [];
    for (let i = 0; i < 12; i++) {
      made.push(await make.claim({
        statement: `${i % 3 === 0 ? 'Howitzer shells' : 'Rail cars'} went east, case ${i}`,
        topics: [i % 2 ? 'Arms' : 'energy'], entities: [i % 4 ? 'Russia' : 'China'], status: i % 5 === 0 ? 'disputed' : 'open',
        ...(i % 6 === 1 ? { appearances: [{ sourceId: tass.id, quote }] } : {}),
      }));
      if (i % 3 !== 2) await make.assess(made[i].id, 0, { probability: [0.2, 0.7, 0.7][i % 3] });
      if (i % 4 === 3) await make.evidence(made[i].id, tass.id);
      if (i % 4 === 0) await make.evidence(made[i].id, reuters.id);
      if (i === 5) await pause(20);
    }
    // Between the sixth claim and the seventh (20 ms apart).
    const midway = new Date((await t.prisma.claim.findUniqueOrThrow({ where: { id: made[5].id } })).createdAt.getTime() + 10);
    await pause(20);
    await t.http.delete(`/claims/${made[2].id}`).set('Authorization', auth).expect(204);
    await t.http.delete(`/claims/${made[9].id}`).set('Authorization', auth).expect(204);
    await make.assess(made[4].id, 1, { probability: 0.9 });
    // The team's spread and gap and the review date, as the team and alert jobs keep them on the claim.
    for (const [i, teamBandSpan, teamGap, reviewBy] of [[0, 3, 1, '2020-01-01'], [1, 2, 0, null], [4, 1, 2, '2999-01-01'], [7, 2, null, '2021-06-01']] as const) {
      await t.prisma.claim.update({ where: { id: made[i].id }, data: { teamBandSpan, teamGap, reviewBy: reviewBy && new Date(reviewBy) } });
    }
    const afterMidway = new Date(midway.getTime() + 1).toISOString();

    // The oracle: the claims as Prisma reads them, filtered and ordered here.
    const claims = await t.prisma.claim.findMany({ include: { appearances: true, evidence: true } });
    type Row = (typeof claims)[number];
    const live = (claim: Row) => claim.archivedAt === null;
    const by = (field: 'updatedAt' | 'createdAt' | 'currentProbability' | 'teamBandSpan' | 'teamGap', direction: 1 | -1) => (a: Row, b: Row) => {
      const [x, y] = [a[field], b[field]];
      if (x === null || y === null) return x === y ? direction * a.id.localeCompare(b.id) : x === null ? 1 : -1;
      return direction * (Number(x) - Number(y) || a.id.localeCompare(b.id));
    };
    const sorts = {
      '-updatedAt': by('updatedAt', -1), updatedAt: by('updatedAt', 1), '-createdAt': by('createdAt', -1), createdAt: by('createdAt', 1),
      '-probability': by('currentProbability', -1), probability: by('currentProbability', 1), '-dissent': by('teamBandSpan', -1), '-teamGap': by('teamGap', -1),
    };
    const asOfMidway = (claim: Row) => claim.createdAt <= midway && (claim.archivedAt === null || claim.archivedAt > midway);
    const filters: [Record<string, string>, (claim: Row) => boolean][] = [
      [{}, live],
      [{ includeArchived: 'true' }, () => true],
      [{ topic: ' ARMS ' }, (c) => live(c) && c.topics.includes('arms')],
      [{ entity: ' Russia ' }, (c) => live(c) && c.entities.includes('Russia')],
      [{ status: 'disputed', includeArchived: 'true' }, (c) => c.status === 'disputed'],
      [{ source: tass.id }, (c) => live(c) && [...c.appearances, ...c.evidence].some((x) => x.sourceId === tass.id)],
      [{ updatedSince: afterMidway }, (c) => live(c) && c.updatedAt.toISOString() >= afterMidway],
      [{ q: 'howitzer' }, (c) => live(c) && /howitzer/i.test(c.statement)],
      [{ q: 'zeppelin' }, () => false],
      [{ ids: [made[0].id, made[2].id, made[7].id].join(',') }, (c) => live(c) && [made[0].id, made[7].id].includes(c.id)],
      [{ dissent: 'true' }, (c) => live(c) && (c.teamBandSpan ?? 0) >= 2],
      [{ teamGap: 'true' }, (c) => live(c) && (c.teamGap ?? 0) >= 1],
      [{ reviewDue: 'true' }, (c) => live(c) && c.reviewBy !== null && c.reviewBy <= new Date()],
      [{ topic: 'arms', q: 'howitzer shells', entity: 'Russia', includeArchived: 'true' }, (c) => c.topics.includes('arms') && /howitzer/i.test(c.statement) && c.entities.includes('Russia')],
      [{ asOf: midway.toISOString() }, asOfMidway],
      [{ asOf: midway.toISOString(), includeArchived: 'true' }, (c) => c.createdAt <= midway],
    ];
    const pages = async (path: string, query: Record<string, string>, headers: Record<string, string>) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let total: number | undefined;
      do {
        const page = (await t.http.get(path).query({ ...query, limit: 3, ...(cursor ? { cursor } : {}) }).set(headers).expect(200)).body;
        total ??= page.total;
        expect(page.total).toBe(total);
        seen.push(...page.items.map((item: { id?: string; claimId?: string }) => item.id ?? item.claimId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { seen, total };
    };
    expect(claims.filter((c) => (c.teamBandSpan ?? 0) >= 2 && live(c))).toHaveLength(3);
    for (const [sort, compare] of Object.entries(sorts)) {
      for (const [query, selects] of filters) {
        if (query.asOf && !/createdAt|updatedAt/.test(sort)) {
          await t.http.get('/claims').query({ ...query, sort }).set('Authorization', auth).expect(400);
          continue;
        }
        const expected = claims.filter(selects).sort(compare).map((claim) => claim.id);
        const { seen, total } = await pages('/claims', { ...query, sort }, { Authorization: auth });
        expect([sort, query, total, seen]).toEqual([sort, query, expected.length, expected]);
      }
    }
    // An archived claim still exists, as of any moment after it was made: archived, as now.
    const archived = (await t.http.get(`/claims/${made[2].id}`).query({ asOf: new Date().toISOString() }).set('Authorization', auth).expect(200)).body;
    expect(archived.archivedAt).not.toBeNull();
    // The confidence feed and reports select the same claims, most recently changed first.
    const key = (await t.http.post('/api-keys').set('Authorization', (await t.signIn('admin')).auth).send({ name: 'lists', scopes: ['read_all'] }).expect(201)).body.key;
    for (const [query, selects] of filters) {
      const expected = claims.filter(selects).sort(sorts['-updatedAt']).map((claim) => claim.id);
      if (!query.asOf) {
        const { seen, total } = await pages('/confidence', query, { 'X-API-Key': key });
        expect([query, total, seen]).toEqual([query, expected.length, expected]);
      }
      const report = (await t.http.get('/reports/claims').query({ ...query, format: 'json' }).set('Authorization', auth).expect(200)).body;
      expect([query, report.claims.map((claim: { id: string }) => claim.id)]).toEqual([query, expected]);
    }
  });
});
