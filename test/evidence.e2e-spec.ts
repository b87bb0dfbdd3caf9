import { analystSession, type Fixtures, rowCounts } from './support/fixtures.js';
import type { TestApp } from './support/test-app.js';
import { pause } from './support/wait.js';

describe('evidence', () => {
  let t: TestApp;
  let auth: string;
  let make: Fixtures;
  beforeAll(async () => ({ t, auth, make } = await analystSession()));
  afterAll(() => t.close());

  it('records graded evidence and counter-evidence and counts them on the claim', async () => {
    const source = await make.source({ reliability: 'B' });
    const claim = await make.claim();
    const supporting = await make.evidence(claim.id, source.id, { credibility: 2, diagnosticity: 4, observedAt: '2023-03-20T00:00:00Z' });
    expect(supporting).toMatchObject({ stance: 'supports', grade: 'B2', sourceReliability: 'B', diagnosticity: 4, sourceTitle: source.title });
    await make.evidence(claim.id, source.id, { stance: 'contradicts', quote: 'Beijing has repeatedly denied supplying weapons', credibility: 3 });
    const view = await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200);
    expect(view.body.evidenceCounts).toEqual({ supports: 1, contradicts: 1, context: 0 });
    const against = await t.http.get(`/claims/${claim.id}/evidence`).query({ stance: 'contradicts' }).set('Authorization', auth).expect(200);
    expect(against.body.items).toHaveLength(1);
    expect(against.body.items[0].quote).toBe('Beijing has repeatedly denied supplying weapons');
  });

  it('refuses a quote that is not verbatim in the source, and accepts any quote when no full text is stored', async () => {
    const withText = await make.source();
    const withoutText = await make.source({ fullText: undefined });
    const claim = await make.claim();
    const before = await rowCounts(t);
    const res = await t.http
      .post(`/claims/${claim.id}/evidence`)
      .set('Authorization', auth)
      .send({ sourceId: withText.id, stance: 'supports', quote: 'Chinese firms shipped tanks', credibility: 2 })
      .expect(422);
    expect(res.body.errors).toEqual([{ field: 'quote', messages: [expect.stringContaining('verbatim')] }]);
    expect(await rowCounts(t)).toEqual(before);
    await make.evidence(claim.id, withoutText.id, { quote: 'Anything the analyst copied' });
  });

  it.each([
    ['credibility', { credibility: 7 }],
    ['credibility', { credibility: 2.5 }],
    ['diagnosticity', { diagnosticity: 0.5 }],
    ['stance', { stance: 'maybe' }],
    ['quote', { quote: '' }],
    ['observedAt', { observedAt: 'yesterday' }],
    ['createdById', { createdById: '00000000-0000-0000-0000-000000000000' }],
  ])('refuses bad %s with a 400 naming it', async (field, override) => {
    const source = await make.source();
    const claim = await make.claim();
    const before = await rowCounts(t);
    const res = await t.http
      .post(`/claims/${claim.id}/evidence`)
      .set('Authorization', auth)
      .send({ sourceId: source.id, stance: 'supports', quote: 'Chinese firms shipped', credibility: 2, ...override })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('takes a quote in another Unicode normal form (NFD) as the same text, and stores text composed (NFC)', async () => {
    const composed = 'Le président a déclaré que la Chine coopère.';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    // A source pasted composed, a quote copied from a PDF decomposed: and the other way round.
    const source = await make.source({ fullText: composed, title: 'Déclaration' });
    const claim = await make.claim();
    const item = await make.evidence(claim.id, source.id, { quote: 'président a déclaré'.normalize('NFD') });
    expect(item.quote).toBe('président a déclaré');
    const other = await make.source({ fullText: decomposed });
    expect((await t.http.get(`/sources/${other.id}`).set('Authorization', auth).expect(200)).body.fullText).toBe(composed);
    await make.evidence(claim.id, other.id, { quote: 'la Chine coopère' });
    const stored = await t.prisma.evidence.findMany({ where: { claimId: claim.id }, select: { quote: true } });
    expect(stored.every(({ quote }) => quote === quote.normalize('NFC'))).toBe(true);
  });

  it('lists the evidence in force as of a moment: recorded by then, not yet archived', async () => {
    const source = await make.source();
    const claim = await make.claim();
    const early = await make.evidence(claim.id, source.id, { quote: 'Beijing has repeatedly denied' });
    const archived = await make.evidence(claim.id, source.id, { quote: 'The summit ended' });
    await pause(20);
    const then = new Date().toISOString();
    await pause(20);
    await t.http.delete(`/claims/${claim.id}/evidence/${archived.id}`).set('Authorization', auth).expect(204);
    const later = await make.evidence(claim.id, source.id, { quote: 'dual-use components' });
    const ids = async (query: Record<string, string>) =>
      (await t.http.get(`/claims/${claim.id}/evidence`).query(query).set('Authorization', auth).expect(200)).body.items.map((e: { id: string }) => e.id).sort();
    expect(await ids({ asOf: then })).toEqual([early.id, archived.id].sort());
    expect(await ids({})).toEqual([early.id, later.id].sort());
    await t.http.get(`/claims/${claim.id}/evidence`).query({ asOf: '2000-01-01T00:00:00Z' }).set('Authorization', auth).expect(404);
    const story = await t.http.get('/audit').query({ claimId: claim.id }).set('Authorization', auth).expect(200);
    expect(story.body.items.map((e: { action: string }) => e.action)).toEqual(['evidence.create', 'evidence.archive', 'evidence.create', 'evidence.create', 'claim.create']);
  });

  it("searches a claim's own evidence only, and answers 404 for a claim that does not exist (or did not yet)", async () => {
    const source = await make.source({ fullText: undefined });
    const [claim, other] = [await make.claim(), await make.claim()];
    const denied = await make.evidence(claim.id, source.id, { quote: 'Officials denied any shipments of shells' });
    await make.evidence(claim.id, source.id, { quote: 'Satellite images show rail cars' });
    await make.evidence(other.id, source.id, { quote: 'A second ministry denied the shipments' });
    const search = async (claimId: string, q: string) =>
      (await t.http.get(`/claims/${claimId}/evidence`).query({ q }).set('Authorization', auth).expect(200)).body.items.map((e: { id: string }) => e.id);
    expect(await search(claim.id, 'denied shipments')).toEqual([denied.id]);
    expect(await search(claim.id, 'nothing like this')).toEqual([]);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const missing = await t.http.get(`/claims/${unknown}/evidence`).query({ q: 'denied' }).set('Authorization', auth).expect(404);
    expect(missing.body.detail).toBe(`Claim ${unknown} not found.`);
    const before = await t.http.get(`/claims/${claim.id}/evidence`).query({ q: 'denied', asOf: '2000-01-01T00:00:00Z' }).set('Authorization', auth).expect(404);
    expect(before.body.detail).toBe(`Claim ${claim.id} did not exist at 2000-01-01T00:00:00.000Z.`);
  });

  it('pages through every sort and filter, each item once, in order, with the total the filters select', async () => {
    const [reuters, tass] = [await make.source({ fullText: undefined }), await make.source({ fullText: undefined, reliability: 'D' })];
    const spokesman = (await t.http.post('/originators').set('Authorization', auth).send({ name: 'Ministry spokesman', kind: 'person' }).expect(201)).body;
    const claim = await make.claim();
    const words = ['Shells crossed the border', 'Officials denied any shipments', 'Rail cars carried shells', 'Drones were seen'];
    const made = [];
    for (let i = 0; i < 13; i++) {
      made.push(await make.evidence(claim.id, i % 3 ? reuters.id : tass.id, {
        stance: ['supports', 'contradicts', 'context'][i % 3], quote: `${words[i % 4]} (${i})`, credibility: 1 + (i % 4), diagnosticity: 1 + (i % 5) / 2,
        ...(i % 4 === 1 ? { originatorId: spokesman.id } : {}),
      }));
    }
    const midway = new Date().toISOString();
    await pause(20);
    for (const item of [made[2], made[7]]) await t.http.delete(`/claims/${claim.id}/evidence/${item.id}`).set('Authorization', auth).expect(204);
    await t.http.patch(`/claims/${claim.id}/evidence/${made[4].id}`).set('Authorization', auth).send({ notes: 'Checked again' }).expect(200);
    // The oracle: every item read one at a time, filtered and ordered here.
    type Item = { id: string; stance: string; sourceId: string; quote: string; credibility: number; diagnosticity: number; createdAt: string; updatedAt: string; archivedAt: string | null };
    const items: Item[] = [];
    for (const { id } of made) items.push((await t.http.get(`/claims/${claim.id}/evidence/${id}`).set('Authorization', auth).expect(200)).body);
    const sorts: Record<string, (a: Item, b: Item) => number> = {
      createdAt: (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
      '-createdAt': (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
      '-diagnosticity': (a, b) => b.diagnosticity - a.diagnosticity || b.id.localeCompare(a.id),
      credibility: (a, b) => a.credibility - b.credibility || a.id.localeCompare(b.id),
    };
    const filters: [Record<string, string>, (item: Item) => boolean][] = [
      [{}, (item) => !item.archivedAt],
      [{ includeArchived: 'true' }, () => true],
      [{ stance: 'contradicts' }, (item) => !item.archivedAt && item.stance === 'contradicts'],
      [{ source: tass.id, includeArchived: 'true' }, (item) => item.sourceId === tass.id],
      [{ updatedSince: midway }, (item) => !item.archivedAt && item.updatedAt >= midway],
      [{ q: 'shells' }, (item) => !item.archivedAt && /shells/i.test(item.quote)],
      [{ q: 'zeppelin' }, () => false],
      [{ q: 'shells', includeArchived: 'true', stance: 'supports' }, (item) => /shells/i.test(item.quote) && item.stance === 'supports'],
      [{ asOf: midway }, (item) => item.createdAt <= midway],
    ];
    for (const [sort, compare] of Object.entries(sorts)) {
      for (const [query, selects] of filters) {
        const expected = items.filter(selects).sort(compare);
        const seen: Item[] = [];
        let cursor: string | undefined;
        do {
          const page = (await t.http.get(`/claims/${claim.id}/evidence`).query({ ...query, sort, limit: 4, ...(cursor ? { cursor } : {}) }).set('Authorization', auth).expect(200)).body;
          expect([sort, query, page.total]).toEqual([sort, query, expected.length]);
          seen.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect([sort, query, seen.map((item) => item.id)]).toEqual([sort, query, expected.map((item) => item.id)]);
      }
    }
    // Each listed item is the item as read alone, field for field.
    const all = (await t.http.get(`/claims/${claim.id}/evidence`).query({ includeArchived: 'true', limit: 500 }).set('Authorization', auth).expect(200)).body.items;
    expect(all.sort((a: Item, b: Item) => a.id.localeCompare(b.id))).toEqual([...items].sort((a, b) => a.id.localeCompare(b.id)));
    expect(all.filter((item: { originatorName: string | null }) => item.originatorName === 'Ministry spokesman')).toHaveLength(3);
    // The last page still counts them all; a cursor of another sort is refused.
    const first = (await t.http.get(`/claims/${claim.id}/evidence`).query({ limit: 10 }).set('Authorization', auth).expect(200)).body;
    const last = (await t.http.get(`/claims/${claim.id}/evidence`).query({ limit: 10, cursor: first.nextCursor }).set('Authorization', auth).expect(200)).body;
    expect([last.items.length, last.total, last.nextCursor]).toEqual([1, 11, null]);
    await t.http.get(`/claims/${claim.id}/evidence`).query({ sort: 'credibility', cursor: first.nextCursor }).set('Authorization', auth).expect(400);
  });

  it('refuses evidence from an unknown source or for an unknown claim', async () => {
    const source = await make.source();
    const claim = await make.claim();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await t.http
      .post(`/claims/${claim.id}/evidence`)
      .set('Authorization', auth)
      .send({ sourceId: unknown, stance: 'supports', quote: 'q', credibility: 2 })
      .expect(422);
    expect(res.body.errors[0].field).toBe('sourceId');
    await t.http
      .post(`/claims/${unknown}/evidence`)
      .set('Authorization', auth)
      .send({ sourceId: source.id, stance: 'supports', quote: 'Chinese firms shipped', credibility: 2 })
      .expect(404);
  });

  it('keeps evidence that an assessment cites: archive only, and archived evidence leaves the counts', async () => {
    const source = await make.source();
    const claim = await make.claim();
    const item = await make.evidence(claim.id, source.id);
    await make.assess(claim.id, 0, { evidenceIds: [item.id] });
    await t.http.delete(`/claims/${claim.id}/evidence/${item.id}?hard=true`).set('Authorization', auth).expect(409);
    await t.http.delete(`/claims/${claim.id}/evidence/${item.id}`).set('Authorization', auth).expect(204);
    const view = await t.http.get(`/claims/${claim.id}`).set('Authorization', auth).expect(200);
    expect(view.body.evidenceCounts.supports).toBe(0);
    expect(view.body.assessment.evidenceIds).toEqual([item.id]);
    const archived = await t.http.get(`/claims/${claim.id}/evidence/${item.id}`).set('Authorization', auth).expect(200);
    expect(archived.body.archivedAt).not.toBeNull();
  });

  it('regrades evidence and re-checks a changed quote', async () => {
    const source = await make.source();
    const claim = await make.claim();
    const item = await make.evidence(claim.id, source.id);
    const res = await t.http.patch(`/claims/${claim.id}/evidence/${item.id}`).set('Authorization', auth).send({ credibility: 4 }).expect(200);
    expect(res.body.grade).toBe('B4');
    await t.http.patch(`/claims/${claim.id}/evidence/${item.id}`).set('Authorization', auth).send({ quote: 'not in the text' }).expect(422);
    const audit = await t.http.get('/audit').query({ entityId: item.id }).set('Authorization', auth).expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'evidence.update', before: { credibility: 2 }, after: { credibility: 4 } });
  });
});
