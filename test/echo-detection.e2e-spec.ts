import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Echo detection measured on a test set built from the seed articles: synthetic articles that
 * republish, quote, or copy with edits passages of known originals (planted derivations), and
 * articles of the same vocabulary and phrases that copy nothing long (where any suggestion is
 * false). Each synthetic article is stored against the five originals alone, and erased after,
 * so what it should be linked to is known exactly.
 */

/** A small seeded generator (mulberry32), so the test set is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const wordsOf = (text: string) => text.split(/\s+/).filter(Boolean);

interface Synthetic {
  title: string;
  text: string;
  /** Indexes of the originals it derives from. */
  from: number[];
}

function testSet(originals: string[]): Synthetic[] {
  const next = random(20261127);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const texts = originals.map(wordsOf);
  // Common ground: 3 to 6 words at a time from any original ("Russian President Vladimir Putin", "on Thursday"…).
  const filler = (words: number) => {
    const out: string[] = [];
    while (out.length < words) {
      const source = pick(texts);
      const length = 3 + Math.floor(next() * 4);
      const at = Math.floor(next() * (source.length - length));
      out.push(...source.slice(at, at + length), pick(['and', 'while', 'as', 'but', 'yet', 'so']));
    }
    return out.join(' ');
  };
  const passage = (i: number, words: number) => {
    const at = Math.floor(next() * (texts[i].length - words));
    return texts[i].slice(at, at + words).join(' ');
  };
  // A passage copied with edits, as a loose translation reads: a word in ten changed, some dropped.
  const edited = (i: number, words: number) =>
    passage(i, words)
      .split(' ')
      .flatMap((word, k) => (k % 10 === 9 ? [pick(['reportedly', 'apparently', 'indeed', 'notably', 'also'])] : k % 23 === 22 ? [] : [word]))
      .join(' ');
  const set: Synthetic[] = [];
  originals.forEach((_, i) => {
    set.push({ title: `Republished ${i}`, text: `${filler(40)}. ${texts[i].slice(0, 400).join(' ')} ${filler(30)}.`, from: [i] });
    set.push({ title: `Quoted ${i}`, text: `${filler(150)}. As one report put it, “${passage(i, 30)}”. ${filler(150)}.`, from: [i] });
    set.push({ title: `Quoted at length ${i}`, text: `${filler(80)}. “${passage(i, 60)}” ${filler(200)}.`, from: [i] });
    set.push({ title: `Translated with edits ${i}`, text: `${filler(100)}. ${edited(i, 150)} ${filler(100)}.`, from: [i] });
    set.push({ title: `Second translation ${i}`, text: `${edited(i, 120)} ${filler(150)}.`, from: [i] });
  });
  for (let k = 0; k < 5; k++) {
    const [a, b] = [k, (k + 2) % originals.length];
    set.push({ title: `Digest ${k}`, text: `${filler(60)}. “${passage(a, 35)}” ${filler(60)}. “${passage(b, 35)}” ${filler(60)}.`, from: [a, b] });
  }
  for (let k = 0; k < 15; k++) set.push({ title: `Independent ${k}`, text: `${filler(300 + k * 40)}.`, from: [] });
  return set;
}

describe('echo detection on a test set built from the seed articles', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await createTestApp();
    auth = (await t.signIn('analyst')).auth;
  });
  afterAll(() => t.close());

  const suggestionsOf = async (sourceId: string) =>
    (await t.http.get(`/derivation-suggestions?sourceId=${sourceId}&limit=500`).set('Authorization', auth).expect(200)).body.items as { sourceId: string; derivedFromId: string }[];

  it('finds ≥ 90 % of planted copies with ≤ 5 % false suggestions (precision and recall printed)', async () => {
    const dir = join(import.meta.dirname, '../seed/articles');
    const texts = await Promise.all((await readdir(dir)).sort().map((file) => readFile(join(dir, file), 'utf8')));
    const originals: string[] = [];
    for (const [i, text] of texts.entries()) {
      const res = await t.http.post('/sources').set('Authorization', auth).send({ title: `Original ${i}`, kind: 'news_report', fullText: text, publishedOn: '2023-01-01' }).expect(201);
      originals.push(res.body.id);
    }
    // The originals are independent of each other: anything proposed among them is false.
    let suggested = (await Promise.all(originals.map(suggestionsOf))).flat().length / 2;
    let falseSuggestions = suggested;
    let planted = 0;
    let found = 0;
    const missed: string[] = [];
    for (const synthetic of testSet(texts)) {
      const res = await t.http.post('/sources').set('Authorization', auth).send({ title: synthetic.title, kind: 'news_report', fullText: synthetic.text, publishedOn: '2023-06-01' }).expect(201);
      const proposals = await suggestionsOf(res.body.id);
      const expected = new Set(synthetic.from.map((i) => originals[i]));
      for (const p of proposals) {
        expect(p.sourceId).toBe(res.body.id); // the later text derives from the earlier
        if (!expected.has(p.derivedFromId)) falseSuggestions++;
      }
      const hits = proposals.filter((p) => expected.has(p.derivedFromId)).length;
      suggested += proposals.length;
      planted += expected.size;
      found += hits;
      if (hits < expected.size) missed.push(synthetic.title);
      // Erased, so the next synthetic article meets the originals alone.
      await t.http.delete(`/sources/${res.body.id}?hard=true`).set('Authorization', auth).expect(204);
    }
    const recall = found / planted;
    const precision = suggested === 0 ? 1 : (suggested - falseSuggestions) / suggested;
    const falseShare = suggested === 0 ? 0 : falseSuggestions / suggested;
    console.log(
      `echo detection: recall ${recall.toFixed(3)} (${found}/${planted} planted derivations), precision ${precision.toFixed(3)}, ` +
        `false suggestions ${falseSuggestions}/${suggested} (${(falseShare * 100).toFixed(1)} %)${missed.length ? `; missed: ${missed.join(', ')}` : ''}`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(falseShare).toBeLessThanOrEqual(0.05);
  });
});
