/**
 * Quotes anchored to the exact text they came from, as W3C Web Annotation selectors: a
 * TextQuoteSelector (the exact text, with up to CONTEXT characters before and after it) and a
 * TextPositionSelector (start and end, in Unicode code points from the start of the text, end
 * exclusive — the unit the W3C model and PostgreSQL's string functions count in).
 *
 * Choosing a passage: the exact text must occur in the source's text; when it occurs more than
 * once, a prefix, a suffix or a position must pick one. Re-anchoring after the text changed:
 * the exact text with its stored prefix and suffix must be found exactly once; otherwise the
 * quote has **drifted** and an analyst reviews it — it is never moved to a look-alike passage.
 */
export const CONTEXT = 32;

/** What a caller may say to pick a passage, beside the exact quote. */
export interface SelectorHint {
  prefix?: string;
  suffix?: string;
  start?: number;
  end?: number;
}

/** A passage pinned down: both selectors' fields. */
export interface Anchor {
  prefix: string;
  suffix: string;
  start: number;
  end: number;
}

export type AnchorProblem =
  | { problem: 'not-found' }
  | { problem: 'ambiguous'; occurrences: number }
  | { problem: 'position-mismatch'; found: string };

/** Code points before UTF-16 index `index` (a surrogate pair is one). */
function codePointsBefore(text: string, index: number): number {
  let count = 0;
  for (let i = 0; i < index; i++, count++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < index) i++;
  }
  return count;
}

/** The UTF-16 index of code point `points`, or -1 beyond the text. */
function indexOfCodePoint(text: string, points: number): number {
  let index = 0;
  for (let seen = 0; seen < points; seen++) {
    if (index >= text.length) return -1;
    index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  }
  return index;
}

/** Up to CONTEXT code points of `text` ending at (`before`) or starting at UTF-16 index `index`. */
function context(text: string, index: number, before: boolean): string {
  const points = Array.from(before ? text.slice(Math.max(0, index - 2 * CONTEXT), index) : text.slice(index, index + 2 * CONTEXT));
  return (before ? points.slice(-CONTEXT) : points.slice(0, CONTEXT)).join('');
}

function occurrences(text: string, exact: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(exact); at >= 0 && exact.length > 0; at = text.indexOf(exact, at + 1)) found.push(at);
  return found;
}

/** Whether the passage at `index` has the prefix and suffix the hint asks for. */
const fits = (text: string, index: number, exact: string, { prefix, suffix }: SelectorHint) =>
  (prefix === undefined || text.slice(0, index).endsWith(prefix)) && (suffix === undefined || text.startsWith(suffix, index + exact.length));

function anchorAt(text: string, index: number, exact: string): Anchor {
  const start = codePointsBefore(text, index);
  return { prefix: context(text, index, true), suffix: context(text, index + exact.length, false), start, end: start + Array.from(exact).length };
}

/** Pins `exact` to one passage of `text`, as `hint` asks; or says why it cannot. */
export function anchorQuote(text: string, exact: string, hint: SelectorHint = {}): Anchor | AnchorProblem {
  if (hint.start !== undefined) {
    const index = indexOfCodePoint(text, hint.start);
    const found = index < 0 ? '' : Array.from(text.slice(index)).slice(0, Array.from(exact).length).join('');
    if (found !== exact || (hint.end !== undefined && hint.end !== hint.start + Array.from(exact).length)) return { problem: 'position-mismatch', found };
    if (!fits(text, index, exact, hint)) return { problem: 'position-mismatch', found };
    return anchorAt(text, index, exact);
  }
  const all = occurrences(text, exact);
  const fitting = all.filter((at) => fits(text, at, exact, hint));
  if (fitting.length === 0) return { problem: 'not-found' };
  if (fitting.length > 1) return { problem: 'ambiguous', occurrences: fitting.length };
  return anchorAt(text, fitting[0], exact);
}

/** The quote's passage in a changed text: its exact text with the same prefix and suffix, found once; null when it drifted. */
export function reanchor(text: string, exact: string, anchor: Pick<Anchor, 'prefix' | 'suffix'>): Anchor | null {
  const found = anchorQuote(text, exact, { prefix: anchor.prefix, suffix: anchor.suffix });
  return 'problem' in found ? null : found;
}

/** Why a quote cannot be anchored, for a 422. */
export function anchorProblemText(problem: AnchorProblem): string {
  switch (problem.problem) {
    case 'not-found':
      return "is not found verbatim in the source's full text (with the prefix and suffix given)";
    case 'ambiguous':
      return `occurs ${problem.occurrences} times in the source's full text: give selector.prefix, selector.suffix or selector.start to pick one`;
    case 'position-mismatch':
      return `is not the text at selector.start (found "${problem.found.slice(0, 80)}")`;
  }
}
