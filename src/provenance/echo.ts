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

/** The winnowed fingerprints (shingle hashes) of a text's words. */
export function fingerprints({ words }: Words): number[] {
  const count = words.length - SHINGLE_WORDS + 1;
  if (count <= 0) return [];
  const hashes = Array.from({ length: count }, (_, i) => hashShingle(words, i));
  const chosen: number[] = [];
  let last = -1;
  for (let start = 0; start + WINDOW <= Math.max(count, WINDOW); start++) {
    const end = Math.min(start + WINDOW, count);
    let min = start;
    // The rightmost smallest hash, so that a window sliding over one minimum keeps choosing it.
    for (let i = start + 1; i < end; i++) if (hashes[i] <= hashes[min]) min = i;
    if (min !== last) chosen.push(hashes[min]);
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

/** Positions of each shingle of a text, by hash (a hash seen more than `cap` times is common ground, not a copy). */
function shingleIndex({ words }: Words, cap = 20): Map<number, number[]> {
  const index = new Map<number, number[]>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) {
    const hash = hashShingle(words, i);
    const positions = index.get(hash);
    if (!positions) index.set(hash, [i]);
    else if (positions.length < cap) positions.push(i);
  }
  return index;
}

/** The passages `a` shares with `b`: every shingle they share, extended word by word to its full run. */
export function sharedPassage(a: Words, b: Words): SharedPassage | null {
  const inB = shingleIndex(b);
  const runs: [number, number][] = [];
  const covered = new Set<number>();
  for (let pa = 0; pa + SHINGLE_WORDS <= a.words.length; pa++) {
    if (covered.has(pa)) continue;
    let best: [number, number] | null = null;
    for (const pb of inB.get(hashShingle(a.words, pa)) ?? []) {
      let start = 0;
      while (pa - start - 1 >= 0 && pb - start - 1 >= 0 && a.words[pa - start - 1] === b.words[pb - start - 1]) start++;
      let length = 0;
      while (pa - start + length < a.words.length && pb - start + length < b.words.length && a.words[pa - start + length] === b.words[pb - start + length]) length++;
      if (!best || length > best[1] - best[0]) best = [pa - start, pa - start + length];
    }
    if (!best || best[1] - best[0] < MIN_PIECE_WORDS) continue;
    runs.push(best);
    for (let i = best[0]; i < best[1]; i++) covered.add(i);
  }
  if (runs.length === 0) return null;
  const longest = runs.reduce((top, run) => (run[1] - run[0] > top[1] - top[0] ? run : top));
  // The passage: the longest run and the runs close around it (an edited copy keeps its pieces together).
  const near = runs.filter(([from, to]) => to >= longest[0] - 60 && from <= longest[1] + 60);
  return {
    sharedWords: covered.size,
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
