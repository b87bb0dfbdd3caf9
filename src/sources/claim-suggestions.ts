import { attributionPhrases } from '../provenance/attribution-phrases.js';

/**
 * Claims suggested from a source's text, sentence by sentence — suggestions only; an analyst
 * confirms each (by quoting the sentence as an appearance or as evidence).
 *
 * **Existing claims a sentence may bear on.** Sentences and claim statements become sets of
 * lexemes: PostgreSQL's stemmer for the source's language (english, russian, …; `simple` for
 * languages it has none for) and, for Chinese and Japanese, whose words are not spaced, character
 * bigrams. A claim is suggested for a sentence when the sentence covers at least MIN_COVERAGE of
 * the claim's lexemes, each weighed by its inverse document frequency over all claims (a rare
 * word like "Kazakhstan" counts more than "China"); the best MAX_PER_SENTENCE per sentence.
 * The relation: **may contradict** when exactly one of the two is negated (not, no, never,
 * denies…; не, нет, отрицает…; 不, 没有, 否认…); otherwise **restates** from RESTATES_AT coverage
 * and **may support** below it.
 *
 * **Check-worthy new claims**: sentences of at least 6 words (12 characters in Chinese) that
 * attribute what they say (attribution-phrases.ts, or a verb of saying), give a number (digits, number
 * words, Chinese numerals but 一, which is mostly not one), or use a
 * modal or hedging verb (may, could, would, reportedly, allegedly…; может, якобы…; 可能, 据称…).
 * Each reason is listed; the more, the more check-worthy.
 */
export const MIN_COVERAGE = 0.5;
export const RESTATES_AT = 0.85;
export const MAX_PER_SENTENCE = 3;

export interface Sentence {
  text: string;
  /** Code points from the start of the text (as quote selectors count), end exclusive. */
  start: number;
  end: number;
}

/** Words before a full stop that do not end a sentence: initials and common abbreviations. */
const ABBREVIATION = /(?:^|[\s(])(?:\p{Lu}|[\p{Lu}\p{Ll}]\.\p{L}|Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|St|No|vs|etc|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|им|т\.е|т\.д|г|гг|ул)$/u;
/** Where sentences end: . ! ? … (and closing quotes or brackets) before a space, 。！？ anywhere, and line breaks. */
const BOUNDARY = /[.!?…]+["'”’»)\]]*(?=\s)|[。！？]+["'”’」』)]*|\n+/gu;

/**
 * A text split into sentences, with their positions. A documented rule rather than Intl's
 * sentence segmenter, which takes about a second for a 20,000-word article here.
 */
export function sentencesOf(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let [from, pointsBefore] = [0, 0];
  const cut = (to: number) => {
    const piece = text.slice(from, to);
    const trimmed = piece.trim();
    if (trimmed) {
      const start = pointsBefore + codePoints(piece, 0, piece.indexOf(trimmed));
      sentences.push({ text: trimmed, start, end: start + codePoints(trimmed, 0, trimmed.length) });
    }
    pointsBefore += codePoints(piece, 0, piece.length);
    from = to;
  };
  for (const match of text.matchAll(BOUNDARY)) {
    const end = match.index + match[0].length;
    if (match[0][0] === '.' && match[0].length === 1 && ABBREVIATION.test(text.slice(Math.max(from, match.index - 12), match.index))) continue;
    cut(end);
  }
  cut(text.length);
  return sentences;
}

/** Code points in text[from, to) (a surrogate pair is one). */
function codePoints(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++, count++) if (text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff) i++;
  return count;
}

const UNSPACED = /^(zh|ja)\b/;
/** Whether lexemes are character bigrams (languages not written with spaces). */
export const usesBigrams = (language: string | null) => UNSPACED.test(language ?? '');

/** Character bigrams of the letters of a text (Chinese, Japanese). */
export function bigrams(text: string): string[] {
  const letters = Array.from(text.replace(/[^\p{L}\p{N}]+/gu, ''));
  return [...new Set(letters.slice(0, -1).map((letter, i) => letter + letters[i + 1]))];
}

const NEGATION = /(?:\b(?:not|no|never|none|nor|neither|den(?:y|ies|ied)|rejects?|rejected|refutes?|refuted|false(?:ly)?|dismiss(?:es|ed)?)\b|n't\b|(?<![\p{L}])(?:не|нет|ни|никогда|отрица\p{L}*|опроверг\p{L}*)(?![\p{L}])|不|没有|未|否认|并非)/iu;
const SAYING = /\b(?:said|says|told|stated|claimed|announced|reported|according to)\b|(?<![\p{L}])(?:заявил\p{L}*|сообщ\p{L}*|по данным|по словам)(?![\p{L}])|表示|称|据|宣布|报道/iu;
const NUMBER = /\p{N}|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozens?)\b|[二三四五六七八九十百千万亿]/iu;
const MODAL = /\b(?:may|might|could|would|should|will|likely|unlikely|probably|possibly|reportedly|allegedly|apparently|suspected|expected)\b|(?<![\p{L}])(?:может|могут|мог\p{L}*|возможно|якобы|вероятно|предположительно)(?![\p{L}])|可能|或将|据称|预计|也许/iu;

export type CheckReason = 'attribution' | 'number' | 'modal';

/** Why a sentence looks like a new claim worth checking (empty: it does not). */
export function checkReasons(sentence: string, language: string | null): CheckReason[] {
  const long = usesBigrams(language) ? Array.from(sentence.replace(/\s/g, '')).length >= 12 : sentence.split(/\s+/).length >= 6;
  if (!long) return [];
  const reasons: CheckReason[] = [];
  if (attributionPhrases(sentence).length > 0 || SAYING.test(sentence)) reasons.push('attribution');
  if (NUMBER.test(sentence)) reasons.push('number');
  if (MODAL.test(sentence)) reasons.push('modal');
  return reasons;
}

export type Relation = 'restates' | 'may-support' | 'may-contradict';

export interface ClaimLexemes {
  id: string;
  statement: string;
  lexemes: string[];
}

export interface ClaimMatch {
  claimId: string;
  statement: string;
  /** The share of the claim's (idf-weighted) lexemes the sentence has. */
  coverage: number;
  relation: Relation;
}

/** Matches sentences to claims by idf-weighted coverage of the claims' lexemes. */
export class ClaimIndex {
  private readonly byLexeme = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();
  private readonly totals: number[];

  constructor(private readonly claims: readonly ClaimLexemes[]) {
    claims.forEach((claim, i) => {
      for (const lexeme of new Set(claim.lexemes)) this.byLexeme.set(lexeme, [...(this.byLexeme.get(lexeme) ?? []), i]);
    });
    for (const [lexeme, holders] of this.byLexeme) this.idf.set(lexeme, Math.log(1 + claims.length / holders.length));
    this.totals = claims.map((claim) => [...new Set(claim.lexemes)].reduce((sum, lexeme) => sum + this.idf.get(lexeme)!, 0));
  }

  match(sentence: string, lexemes: string[]): ClaimMatch[] {
    const shared = new Map<number, number>();
    for (const lexeme of new Set(lexemes)) {
      for (const i of this.byLexeme.get(lexeme) ?? []) shared.set(i, (shared.get(i) ?? 0) + this.idf.get(lexeme)!);
    }
    const negated = NEGATION.test(sentence);
    return [...shared]
      .map(([i, weight]) => ({ claim: this.claims[i], coverage: this.totals[i] > 0 ? weight / this.totals[i] : 0 }))
      .filter(({ coverage }) => coverage >= MIN_COVERAGE)
      .sort((a, b) => b.coverage - a.coverage)
      .slice(0, MAX_PER_SENTENCE)
      .map(({ claim, coverage }) => ({
        claimId: claim.id,
        statement: claim.statement,
        coverage,
        relation: negated !== NEGATION.test(claim.statement) ? 'may-contradict' : coverage >= RESTATES_AT ? 'restates' : 'may-support',
      }));
  }
}
