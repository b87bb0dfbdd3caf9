/**
 * Who a passage says its information comes from, read from the words that attribute it in
 * English news style: "according to X", "X said", "said X", "X told …". Suggestions only:
 * an analyst confirms or dismisses each.
 */
export interface AttributionPhrase {
  /** The attributing words as they read, e.g. "according to US intelligence officials". */
  phrase: string;
  /** The speaker or body they name, e.g. "US intelligence officials". */
  name: string;
}

const VERBS = 'said|says|told|stated|announced|claimed|added|noted|warned|reported|insisted|confirmed|denied|declared|wrote';
// A name: up to seven words, capitalised or among the words that name officials and bodies.
const ROLE = "officials?|spokes(?:man|woman|person)|ministry|minister|intelligence|office|agency|customs|data|readout|sources?|diplomats?|experts?|analysts?|government|military|news|state|media|foreign|defen[cs]e|affairs|press|secretary|president|leader|of|the|for|and|de|von|al";
const DAYS = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
// Capitalised words (with inner dots, as in "U.S."), but not days, which follow names ("Peskov said on Friday").
const WORD = `(?:(?!(?:${DAYS})\\b)\\p{Lu}[\\p{L}'’-]*(?:\\.\\p{Lu}\\.?)*|${ROLE})`;
const NAME = `(${WORD}(?:\\s+${WORD}){0,9})`;
const PATTERNS = [
  new RegExp(`according to ${NAME}`, 'gu'),
  new RegExp(`${NAME},?\\s+(?:${VERBS})\\b`, 'gu'),
  new RegExp(`[”"’']\\s*,?\\s*(?:${VERBS})\\s+${NAME}`, 'gu'),
];
const NOT_NAMES = /^(?:he|she|it|they|we|i|you|this|that|there|the|which|who|and|but)$/i;

/** The attributions a passage gives, in the order they appear. */
export function attributionPhrases(text: string): AttributionPhrase[] {
  const found = new Map<string, AttributionPhrase & { at: number }>();
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const name = trimName(match[1]);
      if (!name || NOT_NAMES.test(name) || !/\p{Lu}/u.test(name)) continue;
      if (!found.has(name)) found.set(name, { phrase: match[0].trim(), name, at: match.index });
    }
  }
  return [...found.values()].sort((a, b) => a.at - b.at).map(({ phrase, name }) => ({ phrase, name }));
}

/** Leading articles and trailing connectors are not part of a name. */
function trimName(raw: string): string {
  return raw
    .replace(/^(?:(?:the|of|and|for)\s+)+/i, '')
    .replace(/(?:\s+(?:of|the|and|for|de|von|al))+$/i, '')
    .trim();
}

/** The sentence(s) of `text` around `quote` (the quote itself when the text does not hold it). */
export function sentencesAround(text: string | null, quote: string): string {
  const at = text?.indexOf(quote) ?? -1;
  if (!text || at < 0) return quote;
  const before = text.slice(0, at);
  const start = Math.max(before.lastIndexOf('. '), before.lastIndexOf('\n'), before.lastIndexOf('? '), before.lastIndexOf('! ')) + 1;
  const after = text.slice(at + quote.length);
  const stop = after.search(/[.?!](?:\s|$)|\n/);
  return text.slice(start, at + quote.length + (stop < 0 ? after.length : stop + 1)).trim();
}
