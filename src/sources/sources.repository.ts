import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import { matchingSql } from '../common/text-search.js';
import type { Tx } from '../database/transactions.js';
import type { QuoteAnchorColumns } from './dto/quote-selector.dto.js';
import type { Anchor } from './text-anchor.js';

const SEARCH = defineQuery<[q: string], { id: string }>(
  'sources_search',
  matchingSql({ select: 'id', from: 'sources', text: 'title', language: 'language', query: '$1' }),
  { id: true },
);

/** A quote taken from a source: an appearance of a claim, or an evidence item (with its stance), and the claim's statement. */
export type QuoteRow = Omit<QuoteAnchorColumns, 'quoteDriftedAt'> & {
  kind: 'appearance' | 'evidence';
  id: string;
  claimId: string;
  statement: string;
  stance: string | null;
  driftedAt: Date | null;
};

const QUOTE_COLUMNS = `q.id, q.claim_id AS "claimId", c.statement, q.quote, q.quote_prefix AS "quotePrefix", q.quote_suffix AS "quoteSuffix",
  q.quote_start AS "quoteStart", q.quote_end AS "quoteEnd", q.quote_drifted_at AS "driftedAt"`;

/** Every quote taken from source $1 in text order (archived evidence too: its quote is still history; the caller filters). */
const QUOTES_OF = defineQuery<[sourceId: string], QuoteRow & { archived: boolean }>(
  'sources_quotes_of',
  `SELECT 'appearance' AS kind, NULL AS stance, false AS archived, ${QUOTE_COLUMNS} FROM claim_appearances q JOIN claims c ON c.id = q.claim_id WHERE q.source_id = $1
   UNION ALL SELECT 'evidence', q.stance::text, q.archived_at IS NOT NULL, ${QUOTE_COLUMNS} FROM evidence q JOIN claims c ON c.id = q.claim_id WHERE q.source_id = $1
   ORDER BY "quoteStart" NULLS LAST, id`,
  {
    kind: true, stance: true, archived: true, id: true, claimId: true, statement: true, quote: true, quotePrefix: true, quoteSuffix: true, quoteStart: true,
    quoteEnd: true, driftedAt: true,
  },
);

/**
 * New places of quotes after their source's text changed (arrays by quote; a null start marks the
 * quote drifted, keeping its old selectors as the record of where it was).
 */
const PLACE = defineQuery<[kinds: string[], ids: string[], prefixes: (string | null)[], suffixes: (string | null)[], starts: (number | null)[], ends: (number | null)[]], Record<string, never>>(
  'sources_place_quotes',
  `WITH placed AS (SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[]) AS p(kind, id, prefix, suffix, start, "end")),
   appearances AS (
     UPDATE claim_appearances a SET quote_prefix = coalesce(p.prefix, a.quote_prefix), quote_suffix = coalesce(p.suffix, a.quote_suffix),
       quote_start = coalesce(p.start, a.quote_start), quote_end = coalesce(p."end", a.quote_end),
       quote_drifted_at = CASE WHEN p.start IS NULL THEN coalesce(a.quote_drifted_at, now()) END
     FROM placed p WHERE p.kind = 'appearance' AND a.id = p.id
   )
   UPDATE evidence e SET quote_prefix = coalesce(p.prefix, e.quote_prefix), quote_suffix = coalesce(p.suffix, e.quote_suffix),
     quote_start = coalesce(p.start, e.quote_start), quote_end = coalesce(p."end", e.quote_end),
     quote_drifted_at = CASE WHEN p.start IS NULL THEN coalesce(e.quote_drifted_at, now()) END
   FROM placed p WHERE p.kind = 'evidence' AND e.id = p.id`,
  {},
);

/** Each text's lexemes under text-search configuration $1 (arrays by text, in order). */
const LEXEMES = defineQuery<[config: string, texts: string[]], { lexemes: string[] }>(
  'sources_lexemes',
  `SELECT ARRAY(SELECT lexeme FROM unnest(to_tsvector($1::regconfig, t.text))) AS lexemes
   FROM unnest($2::text[]) WITH ORDINALITY AS t(text, n) ORDER BY t.n`,
  { lexemes: true },
);

/** Claims in force (not archived), with their statements' lexemes under configuration $1. */
const CLAIM_LEXEMES = defineQuery<[config: string], { id: string; statement: string; lexemes: string[] }>(
  'sources_claim_lexemes',
  `SELECT id, statement, ARRAY(SELECT lexeme FROM unnest(to_tsvector($1::regconfig, statement))) AS lexemes
   FROM claims WHERE archived_at IS NULL AND $1 IS NOT NULL`,
  { id: true, statement: true, lexemes: true },
);

@Injectable()
export class SourcesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Sources whose title matches a websearch query. */
  async search(q: string): Promise<string[]> {
    return (await queryRows(this.prisma.pool, SEARCH, [q])).map((row) => row.id);
  }

  async lexemes(config: string, texts: string[]): Promise<string[][]> {
    return (await queryRows(this.prisma.pool, LEXEMES, [config, texts])).map((row) => row.lexemes);
  }

  claimLexemes(config: string): Promise<{ id: string; statement: string; lexemes: string[] }[]> {
    return queryRows(this.prisma.pool, CLAIM_LEXEMES, [config]);
  }

  quotesOf(db: Tx, sourceId: string): Promise<(QuoteRow & { archived: boolean })[]> {
    return db.$queryRawUnsafe(QUOTES_OF.text, sourceId);
  }

  /** Stores each quote's new anchor, or marks it drifted (anchor null). */
  async placeQuotes(db: Tx, quotes: { kind: 'appearance' | 'evidence'; id: string; anchor: Anchor | null }[]): Promise<void> {
    if (quotes.length === 0) return;
    const column = <T>(pick: (anchor: Anchor) => T) => quotes.map((q) => (q.anchor ? pick(q.anchor) : null));
    await db.$executeRawUnsafe(PLACE.text, quotes.map((q) => q.kind), quotes.map((q) => q.id), column((a) => a.prefix), column((a) => a.suffix), column((a) => a.start), column((a) => a.end));
  }
}
