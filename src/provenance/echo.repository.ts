import { Injectable } from '@nestjs/common';
import { defineQuery } from '../database/query.js';
import type { Tx } from '../database/transactions.js';
import type { DerivationKind } from '../generated/prisma/enums.js';


/** Forgets source $1's fingerprints (before its new text's are stored: one statement could not do both, as both see the old rows). */
const FORGET = defineQuery<[sourceId: string], Record<string, never>>('echo_forget_source', `DELETE FROM source_fingerprints WHERE source_id = $1::uuid`, {});

/** Stores source $1's fingerprints, hashes $2. */
const INDEX = defineQuery<[sourceId: string, hashes: number[]], Record<string, never>>(
  'echo_index_source',
  `INSERT INTO source_fingerprints (hash, source_id) SELECT DISTINCT hash, $1::uuid FROM unnest($2::int[]) AS hash`,
  {},
);

/**
 * The $3 other sources sharing the most fingerprints among hashes $2, most first (archived
 * sources included: a copy of an archived source is still a copy).
 */
const CANDIDATES = defineQuery<[sourceId: string, hashes: number[], limit: number], { sourceId: string; shared: number }>(
  'echo_candidates',
  `SELECT source_id AS "sourceId", count(*)::int AS shared FROM source_fingerprints
   WHERE hash = ANY($2::int[]) AND source_id <> $1::uuid
   GROUP BY source_id ORDER BY count(*) DESC, source_id LIMIT $3::int`,
  { sourceId: true, shared: true },
);

/** A derivation echo detection proposes: the later source, the earlier, and why. */
export interface Proposal {
  sourceId: string;
  derivedFromId: string;
  kind: DerivationKind;
  passage: string;
  sharedWords: number;
}

/**
 * Proposes each "source derives from derivedFrom" (arrays by proposal) unless the pair was ever
 * proposed (either way round, so a dismissed one never comes back) or a link in force joins them.
 */
const PROPOSE = defineQuery<[sourceIds: string[], derivedFromIds: string[], kinds: string[], passages: string[], sharedWords: number[]], { id: string }>(
  'echo_propose_derivations',
  `INSERT INTO derivation_suggestions (id, source_id, derived_from_id, kind, passage, shared_words)
   SELECT gen_random_uuid(), p.source_id, p.derived_from_id, p.kind::"DerivationKind", p.passage, p.shared_words
   FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[]) AS p(source_id, derived_from_id, kind, passage, shared_words)
   WHERE NOT EXISTS (SELECT 1 FROM derivation_suggestions d WHERE d.source_id = p.derived_from_id AND d.derived_from_id = p.source_id)
     AND NOT EXISTS (SELECT 1 FROM source_derivations d WHERE d.withdrawn_at IS NULL
                     AND ((d.source_id = p.source_id AND d.derived_from_id = p.derived_from_id) OR (d.source_id = p.derived_from_id AND d.derived_from_id = p.source_id)))
   ON CONFLICT (source_id, derived_from_id) DO NOTHING
   RETURNING id`,
  { id: true },
);

@Injectable()
export class EchoRepository {
  async index(tx: Tx, sourceId: string, hashes: number[]): Promise<void> {
    await tx.$executeRawUnsafe(FORGET.text, sourceId);
    await tx.$executeRawUnsafe(INDEX.text, sourceId, hashes);
  }

  async candidates(tx: Tx, sourceId: string, hashes: number[], limit: number): Promise<string[]> {
    return (await tx.$queryRawUnsafe<{ sourceId: string }[]>(CANDIDATES.text, sourceId, hashes, limit)).map((row) => row.sourceId);
  }

  /** Answers how many were new. */
  async propose(tx: Tx, proposals: Proposal[]): Promise<number> {
    if (proposals.length === 0) return 0;
    const column = <K extends keyof Proposal>(key: K) => proposals.map((p) => p[key]);
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(PROPOSE.text, column('sourceId'), column('derivedFromId'), column('kind'), column('passage'), column('sharedWords'));
    return rows.length;
  }
}
