import { analystSession, type Fixtures } from './support/fixtures.js';
import type { TestApp } from './support/test-app.js';

type Session = Awaited<ReturnType<TestApp['signIn']>>;
interface Selectors { selectors: [{ type: string; exact: string; prefix: string; suffix: string }, { type: string; start: number; end: number }] }

const TEXT = [
  'Officials denied the report. Customs records show shipments through Kazakhstan in March.',
  'A second ministry spokesman: officials denied the report again in May, calling it fabricated.',
].join('\n\n');

/** The passage a position selector points at, read by code points as the W3C model counts them (not by this service's code). */
const at = (text: string, start: number, end: number) => Array.from(text).slice(start, end).join('');

describe('quotes anchored to their passage (W3C Web Annotation selectors)', () => {
  let t: TestApp;
  let analyst: Session;
  let make: Fixtures;
  beforeAll(async () => ({ t, analyst, make } = await analystSession()));
  afterAll(() => t.close());
  const post = (claimId: string, body: Record<string, unknown>) => t.http.post(`/claims/${claimId}/evidence`).set('Authorization', analyst.auth).send({ stance: 'supports', credibility: 2, ...body });

  it('records both selectors; a quote that occurs twice needs a prefix, suffix or position; a wrong position is refused', async () => {
    const source = await make.source({ fullText: TEXT });
    const claim = await make.claim();
    const once = (await post(claim.id, { sourceId: source.id, quote: 'Customs records show shipments through Kazakhstan' }).expect(201)).body as Selectors;
    expect(once.selectors).toEqual([
      { type: 'TextQuoteSelector', exact: 'Customs records show shipments through Kazakhstan', prefix: 'Officials denied the report. ', suffix: ' in March.\n\nA second ministry sp' },
      { type: 'TextPositionSelector', start: 29, end: 78 },
    ]);
    expect(at(TEXT, 29, 78)).toBe('Customs records show shipments through Kazakhstan');

    const before = await t.prisma.evidence.count();
    const twice = await post(claim.id, { sourceId: source.id, quote: 'denied the report' }).expect(422);
    expect(twice.body.errors[0]).toMatchObject({ field: 'quote', messages: [expect.stringContaining('occurs 2 times')] });
    const wrong = await post(claim.id, { sourceId: source.id, quote: 'denied the report', selector: { start: 3 } }).expect(422);
    expect(wrong.body.errors[0].field).toBe('selector');
    await post(claim.id, { sourceId: source.id, quote: 'denied the report', selector: { suffix: ' never' } }).expect(422);
    await post(claim.id, { sourceId: source.id, quote: 'denied the report', selector: { start: -1 } }).expect(400);
    expect(await t.prisma.evidence.count()).toBe(before);

    const second = (await post(claim.id, { sourceId: source.id, quote: 'denied the report', selector: { suffix: ' again' } }).expect(201)).body as Selectors;
    const { start, end } = second.selectors[1];
    expect(at(TEXT, start, end)).toBe('denied the report');
    expect(second.selectors[0].suffix.startsWith(' again in May')).toBe(true);
    const byPosition = (await post(claim.id, { sourceId: source.id, quote: 'denied the report', selector: { start: 10, end: 27 } }).expect(201)).body as Selectors;
    expect(byPosition.selectors[0].prefix).toBe('Officials ');

    // Appearances take selectors the same way.
    const made = await t.http.post('/claims').set('Authorization', analyst.auth)
      .send({ statement: 'Officials denied it twice', appearances: [{ sourceId: source.id, quote: 'officials denied the report', selector: { prefix: 'spokesman: ' } }] }).expect(201);
    const appearances = (await t.http.get(`/claims/${made.body.id}/appearances`).set('Authorization', analyst.auth).expect(200)).body;
    const [quote, position] = (appearances.items ?? appearances)[0].selectors;
    expect(at(TEXT, position.start, position.end)).toBe(quote.exact);
  });

  it('re-anchors quotes when the text changes elsewhere; refuses an edit that loses one unless allowed, then lists it as drifted until fixed', async () => {
    const source = await make.source({ fullText: TEXT });
    const claim = await make.claim();
    const item = (await post(claim.id, { sourceId: source.id, quote: 'shipments through Kazakhstan' }).expect(201)).body as Selectors & { id: string };
    const patch = (fullText: string, query = '') => t.http.patch(`/sources/${source.id}${query}`).set('Authorization', analyst.auth).send({ fullText });
    const evidence = async () => (await t.http.get(`/claims/${claim.id}/evidence/${item.id}`).set('Authorization', analyst.auth).expect(200)).body;

    // A heading added above: the quote moves with its passage.
    const edited = `Update, 5 March.\n\n${TEXT}`;
    await patch(edited).expect(200);
    const moved = await evidence();
    expect(moved.selectors[1].start).toBe(item.selectors[1].start + 'Update, 5 March.\n\n'.length);
    expect(at(edited, moved.selectors[1].start, moved.selectors[1].end)).toBe('shipments through Kazakhstan');

    // The sentence around it rewritten: not silently moved; refused by default, nothing changes.
    const rewritten = edited.replace('Customs records show shipments through Kazakhstan in March.', 'Records of shipments through Kazakhstan were found.');
    const refused = await patch(rewritten).expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'fullText', messages: [expect.stringContaining('1 quote(s)')] });
    expect((await t.http.get(`/sources/${source.id}`).set('Authorization', analyst.auth).expect(200)).body.fullText).toBe(edited);

    // Allowed: the edit stands, the quote is marked drifted (keeping where it was) and listed for review.
    await patch(rewritten, '?allowDrift=true').expect(200);
    const drifted = await evidence();
    expect(drifted.quoteDriftedAt).toEqual(expect.any(String));
    expect(drifted.selectors).toEqual(moved.selectors);
    const list = (await t.http.get(`/sources/${source.id}/drifted-quotes`).set('Authorization', analyst.auth).expect(200)).body;
    expect(list).toEqual([expect.objectContaining({ kind: 'evidence', id: item.id, claimId: claim.id, quote: 'shipments through Kazakhstan' })]);

    // The analyst places it again (here: the same words, now in the new sentence): no longer drifted.
    const fixed = (await t.http.patch(`/claims/${claim.id}/evidence/${item.id}`).set('Authorization', analyst.auth).send({ quote: 'shipments through Kazakhstan' }).expect(200)).body;
    expect(fixed.quoteDriftedAt).toBeNull();
    expect(at(rewritten, fixed.selectors[1].start, fixed.selectors[1].end)).toBe('shipments through Kazakhstan');
    expect((await t.http.get(`/sources/${source.id}/drifted-quotes`).set('Authorization', analyst.auth).expect(200)).body).toEqual([]);
    await t.http.get('/sources/00000000-0000-4000-8000-000000000000/drifted-quotes').set('Authorization', analyst.auth).expect(404);
  });

  it('anchors quotes in sources without text once their text arrives', async () => {
    const source = await make.source({ fullText: undefined });
    const claim = await make.claim();
    const item = (await post(claim.id, { sourceId: source.id, quote: 'through Kazakhstan' }).expect(201)).body as { id: string; selectors: unknown[] };
    expect(item.selectors).toEqual([]);
    await t.http.patch(`/sources/${source.id}`).set('Authorization', analyst.auth).send({ fullText: TEXT }).expect(200);
    const anchored = (await t.http.get(`/claims/${claim.id}/evidence/${item.id}`).set('Authorization', analyst.auth).expect(200)).body;
    expect(at(TEXT, anchored.selectors[1].start, anchored.selectors[1].end)).toBe('through Kazakhstan');
  });
});
