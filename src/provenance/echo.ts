/**
 * Echo detection: finding the sources that share long verbatim passages with a text.
 *
 * Words are compared folded (case, accents' forms and punctuation ignored). Every run of
 * SHINGLE_WORDS words is hashed, and winnowing (Schleimer, Wilkerson and Aiken, 2003: the
 * method of MOSS) keeps the smallest hash of every WINDOW consecutive ones as the text's
 * fingerprints: about 2 in WINDOW + 1 of them, stored per source. Winnowing guarantees that
 * any shared run of SHINGLE_WORDS + WINDOW − 1 = 25 words yields a shared fingerprint, so a
 * lookup of a new text's fingerprints finds every source it copies 25 words from; shorter
 * runs are found by chance, the more of them the likelier. Each candidate is then compared
 * word by word: the shared runs around the matching fingerprints are extended to their full
 * length, and the pair is proposed when one run reaches MIN_RUN_WORDS, or when runs of
 * MIN_PIECE_WORDS or more add up to MIN_EDITED_WORDS (a passage copied with edits: a word
 * changed here and there breaks the run but not the pieces).
 */
export const SHINGLE_WORDS = 5;
export const WINDOW = 21;
export const MIN_RUN_WORDS = SHINGLE_WORDS + WINDOW - 1;
export const MIN_PIECE_WORDS = 8;
export const MIN_EDITED_WORDS = 40;
/** A text sharing this share of its words or more is taken to republish the other, not quote it. */
export const REPUBLISHED_SHARE = 0.6;

export interface Words {
  /** Folded words. */
  words: string[];
  /** Each word's [start, end) in the original text. */
  spans: [number, number][];
}

export interface Fingerprint {
  hash: number;
  /** Word position of the shingle's first word. */
  position: number;
}

export function wordsOf(text: string): Words {
  const words: string[] = [];
  const spans: [number, number][] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)) {
    words.push(match[0].normalize('NFKC').toLowerCase().replace(/’/g, "'"));
    spans.push([match.index, match.index + match[0].length]);
  }
  return { words, spans };
}

/** 32-bit FNV-1a of a shingle, as a signed int (PostgreSQL's integer). */
function hashShingle(words: string[], start: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < start + SHINGLE_WORDS; i++) {
    const word = words[i];
    for (let j = 0; j < word.length; j++) hash = Math.imul(hash ^ word.charCodeAt(j), 0x01000193);
    hash = Math.imul(hash ^ 0x20, 0x01000193);
  }
  return hash | 0;
}

/** The winnowed fingerprints of a text's words. */
export function fingerprints({ words }: Words): Fingerprint[] {
  const count = words.length - SHINGLE_WORDS + 1;
  if (count <= 0) return [];
  const hashes = Array.from({ length: count }, (_, i) => hashShingle(words, i));
  const chosen: Fingerprint[] = [];
  let last = -1;
  for (let start = 0; start + WINDOW <= Math.max(count, WINDOW); start++) {
    const end = Math.min(start + WINDOW, count);
    let min = start;
    // The rightmost smallest hash, so that a window sliding over one minimum keeps choosing it.
    for (let i = start + 1; i < end; i++) if (hashes[i] <= hashes[min]) min = i;
    if (min !== last) chosen.push({ hash: hashes[min], position: min });
    last = min;
    if (end === count) break;
  }
  return chosen;
}

export interface SharedPassage {
  /** Words of `a` in runs shared with `b` (runs of MIN_PIECE_WORDS or more). */
  sharedWords: number;
  /** The longest shared run, in words. */
  longestRun: number;
  /** Where the shared passage lies in `a`: from the first to the last word of the runs around the longest one. */
  start: number;
  end: number;
}

/**
 * The passages `a` shares with `b`, found from the positions where their fingerprints match
 * (pairs of word positions in a and b) and extended word by word to full runs.
 */
export function sharedPassage(a: Words, b: Words, seeds: [number, number][]): SharedPassage | null {
  const runs: [number, number][] = [];
  const covered = new Set<string>();
  for (const [pa, pb] of seeds) {
    if (covered.has(`${pa}:${pb}`)) continue;
    let start = 0;
    while (pa - start - 1 >= 0 && pb - start - 1 >= 0 && a.words[pa - start - 1] === b.words[pb - start - 1]) start++;
    let length = 0;
    while (pa - start + length < a.words.length && pb - start + length < b.words.length && a.words[pa - start + length] === b.words[pb - start + length]) length++;
    for (let i = 0; i < length; i++) covered.add(`${pa - start + i}:${pb - start + i}`);
    if (length >= MIN_PIECE_WORDS) runs.push([pa - start, pa - start + length]);
  }
  if (runs.length === 0) return null;
  runs.sort((x, y) => x[0] - y[0]);
  const inA = new Set<number>();
  for (const [from, to] of runs) for (let i = from; i < to; i++) inA.add(i);
  const longest = runs.reduce((best, run) => (run[1] - run[0] > best[1] - best[0] ? run : best));
  // The passage: the longest run and the runs close around it (an edited copy keeps its pieces together).
  const near = runs.filter(([from, to]) => to >= longest[0] - 60 && from <= longest[1] + 60);
  return {
    sharedWords: inA.size,
    longestRun: longest[1] - longest[0],
    start: Math.min(...near.map(([from]) => from)),
    end: Math.max(...near.map(([, to]) => to)),
  };
}

/** Whether a shared passage is long enough to propose a derivation. */
export const isEcho = (shared: SharedPassage | null): shared is SharedPassage =>
  shared !== null && (shared.longestRun >= MIN_RUN_WORDS || shared.sharedWords >= MIN_EDITED_WORDS);

/** The passage's text as it reads in the source, at most `max` characters. */
export function passageText(text: string, words: Words, shared: SharedPassage, max = 1000): string {
  const passage = text.slice(words.spans[shared.start][0], words.spans[shared.end - 1][1]);
  return passage.length > max ? `${passage.slice(0, max - 1)}…` : passage;
}
