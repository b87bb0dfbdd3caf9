import { fingerprints, isEcho, MIN_RUN_WORDS, passageText, sharedPassage, wordsOf } from './echo.js';

const filler = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i}`).join(' ');

describe('echo detection', () => {
  it('folds case and punctuation, and keeps where each word was', () => {
    const words = wordsOf('Xi’s visit: “Changes,” he SAID.');
    expect(words.words).toEqual(["xi's", 'visit', 'changes', 'he', 'said']);
    expect(words.spans[2]).toEqual([13, 20]);
  });

  it('always shares a fingerprint for a shared run of 25 words, wherever it sits (the winnowing guarantee)', () => {
    const run = filler(MIN_RUN_WORDS, 'shared');
    for (let offset = 0; offset < 30; offset += 7) {
      const a = new Set(fingerprints(wordsOf(`${filler(offset + 13, 'a')} ${run} ${filler(40, 'b')}`)));
      const b = fingerprints(wordsOf(`${filler(50, 'c')} ${run} ${filler(offset, 'd')}`));
      expect(b.some((hash) => a.has(hash))).toBe(true);
    }
  });

  it('finds a 25-word copy, and a copy with a word changed in ten, but not short common phrases', () => {
    const original = wordsOf(`${filler(30, 'x')} ${filler(120, 'passage')} ${filler(30, 'y')}`);
    const copied = wordsOf(`${filler(10, 'z')} ${filler(120, 'passage').split(' ').slice(40, 40 + MIN_RUN_WORDS).join(' ')} ${filler(10, 'w')}`);
    expect(isEcho(sharedPassage(copied, original))).toBe(true);
    const edited = filler(120, 'passage').split(' ').map((w, i) => (i % 10 === 9 ? 'changed' : w)).join(' ');
    const shared = sharedPassage(wordsOf(edited), original);
    expect(shared).toMatchObject({ longestRun: 9 });
    expect(isEcho(shared)).toBe(true);
    const phrases = wordsOf(`${filler(20, 'q')} passage3 passage4 passage5 passage6 passage7 ${filler(20, 'r')} passage50 passage51 passage52 passage53`);
    expect(isEcho(sharedPassage(phrases, original))).toBe(false);
  });

  it('gives the shared passage as it reads in the copy', () => {
    const text = `Intro words here. ${filler(30, 'Passage')}. Outro.`;
    const words = wordsOf(text);
    const shared = sharedPassage(words, wordsOf(filler(30, 'passage')))!;
    expect(passageText(text, words, shared)).toBe(filler(30, 'Passage'));
  });
});
