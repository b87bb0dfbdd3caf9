/**
 * Searching text in the language it is written in. A quote is in its source's language: it is
 * matched with PostgreSQL's text-search configuration for that language (stemming, stop words),
 * `simple` where PostgreSQL has none; and, because Chinese and Japanese are not written with
 * spaces (no configuration splits them into words), every text also matches a query it contains
 * as a substring (case-insensitive; trigram GIN indexes serve it).
 */
const CONFIGS: Record<string, string> = {
  en: 'english', ru: 'russian', de: 'german', fr: 'french', es: 'spanish', it: 'italian', pt: 'portuguese', nl: 'dutch', sv: 'swedish',
  no: 'norwegian', da: 'danish', fi: 'finnish', hu: 'hungarian', ro: 'romanian', tr: 'turkish', ar: 'arabic',
};

/** The configuration for a language (BCP 47; English when unknown), `simple` when PostgreSQL has no stemmer for it. */
export function searchConfig(language: string | null): string {
  return CONFIGS[(language ?? 'en').split('-')[0].toLowerCase()] ?? 'simple';
}

/** The same in SQL, for a language column. */
export const searchConfigSql = (language: string) =>
  `(CASE split_part(lower(coalesce(${language}, 'en')), '-', 1) ${Object.entries(CONFIGS).map(([code, config]) => `WHEN '${code}' THEN '${config}'::regconfig`).join(' ')} ELSE 'simple'::regconfig END)`;

const isEnglish = (language: string) => `coalesce(nullif(split_part(lower(${language}), '-', 1), ''), 'en') = 'en'`;

/**
 * The rows of `from` whose `text`, in `language`, matches the websearch
 * query in parameter `query`: by words in its language's configuration, or as a substring. Three
 * branches so each can use its index: English text the `to_tsvector('english', …)` GIN indexes,
 * other languages only their own rows (found through their sources), substrings the trigram indexes.
 */
export function matchingSql({ select, from, text, language, query }: { select: string; from: string; text: string; language: string; query: string }): string {
  const config = searchConfigSql(language);
  const pattern = `'%' || replace(replace(replace(${query}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
  return [
    `SELECT ${select} FROM ${from} WHERE ${isEnglish(language)} AND to_tsvector('english', ${text}) @@ websearch_to_tsquery('english', ${query})`,
    `SELECT ${select} FROM ${from} WHERE NOT ${isEnglish(language)} AND to_tsvector(${config}, ${text}) @@ websearch_to_tsquery(${config}, ${query})`,
    `SELECT ${select} FROM ${from} WHERE ${text} ILIKE ${pattern}`,
  ].join('\n   UNION ');
}
