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

/** Whether `text` (in `language`) matches the websearch query in parameter `query`: by words, or as a substring. */
export const matchesSql = (text: string, language: string, query: string) =>
  `(to_tsvector(${searchConfigSql(language)}, ${text}) @@ websearch_to_tsquery(${searchConfigSql(language)}, ${query})
    OR ${text} ILIKE '%' || replace(replace(replace(${query}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`;
