import { Injectable } from '@nestjs/common';
import { DEFAULT_WEIGHTS, EVIDENCE_LOG_ODDS_SQL, type EvidenceWeights } from '../analysis/evidence-weight.js';
import type { Reliability } from '../generated/prisma/enums.js';
import type { SourcedItem } from '../analysis/corroboration.js';
import { EVIDENCE_IN_FORCE } from '../claims/claims.repository.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import type { Tx } from '../database/transactions.js';

/** An evidence item in force, with what the corroboration rule needs to place it, and where it was last placed. */
export type ItemRow = SourcedItem & { claimId: string; originId: string | null; counted: boolean };

/** A claim's evidence weight as the rule counts it: its log-odds, and items and origins per stance. */
export interface EvidenceWeight {
  logOdds: number;
  supportingItems: number;
  supportingOrigins: number;
  contradictingItems: number;
  contradictingOrigins: number;
}

/** With the probability it gives with the claim's prior: the columns kept on `claims` and each weighing's. */
export interface EvidenceFigures extends EvidenceWeight {
  probability: number;
}

/** Claims $1 locked against other writers of their evidence weight (in id order, as every writer locks them), with their priors. */
const LOCK_CLAIMS = defineQuery<[claimIds: string[]], { id: string; priorProbability: number | null }>(
  'corroboration_lock_claims',
  `SELECT id, prior_probability AS "priorProbability" FROM claims WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
  { id: true, priorProbability: true },
);

/**
 * Every source linked to the sources in `starts` (a query of `id`s) by derivations in force, in
 * either direction and through any chain; each start reaches itself.
 */
const REACH = (starts: string) => `reach(start, source) AS (
     SELECT id, id FROM (${starts}) starts
     UNION
     SELECT r.start, CASE WHEN d.source_id = r.source THEN d.derived_from_id ELSE d.source_id END
     FROM reach r JOIN source_derivations d ON (d.source_id = r.source OR d.derived_from_id = r.source) AND d.withdrawn_at IS NULL
   )`;

/**
 * The evidence rows `e` that `where` admits (it may read their claim `c`), each with its source's
 * lineage: the smallest id among the sources derivation links it to (null when it has none), a
 * label shared by the whole group. An attribution to a merged originator counts as its
 * survivor's (merges always point at the survivor), with the survivor's own grade.
 */
export const itemsSql = (where: string) => `WITH RECURSIVE items AS (
     SELECT e.id, e.claim_id, e.stance, e.credibility, e.diagnosticity, e.source_id, s.reliability AS source_reliability, e.origin_id, e.counted,
            coalesce(o.merged_into_id, o.id) AS originator_id, coalesce(survivor.reliability, o.reliability) AS originator_reliability
     FROM evidence e JOIN claims c ON c.id = e.claim_id JOIN sources s ON s.id = e.source_id
     LEFT JOIN originators o ON o.id = e.originator_id
     LEFT JOIN originators survivor ON survivor.id = o.merged_into_id
     WHERE ${where}
   ), ${REACH('SELECT DISTINCT source_id AS id FROM items')},
   lineages AS (
     SELECT start, CASE WHEN count(*) > 1 THEN min(source::text)::uuid END AS lineage FROM reach GROUP BY start
   )
   SELECT i.id, i.claim_id AS "claimId", i.stance::text AS stance, i.credibility, i.diagnosticity, i.source_id AS "sourceId",
          i.source_reliability::text AS "sourceReliability", i.originator_id AS "originatorId", i.originator_reliability::text AS "originatorReliability",
          l.lineage, i.origin_id AS "originId", i.counted
   FROM items i JOIN lineages l ON l.start = i.source_id`;
export const ITEM_COLUMNS = {
  id: true, claimId: true, stance: true, credibility: true, diagnosticity: true, sourceId: true, sourceReliability: true, originatorId: true,
  originatorReliability: true, lineage: true, originId: true, counted: true,
} as const;

/** The evidence in force of claims $1. */
const ITEMS_OF = defineQuery<[claimIds: string[]], ItemRow>('corroboration_items_of', itemsSql('e.claim_id = ANY($1::uuid[]) AND e.archived_at IS NULL'), ITEM_COLUMNS);

/** The id of the weight set in force: the one activated last, else the default set. */
export const ACTIVE_WEIGHT_SET_ID = `coalesce((SELECT weight_set_id FROM weight_set_activations ORDER BY id DESC LIMIT 1), (SELECT id FROM weight_sets WHERE kind = 'default'))`;

const ACTIVE_WEIGHTS = defineQuery<[], { id: string; reliability: Record<string, number>; credibility: Record<string, number>; shrinkage: number }>(
  'corroboration_active_weights',
  `SELECT id, reliability, credibility, shrinkage FROM weight_sets WHERE id = ${ACTIVE_WEIGHT_SET_ID}`,
  { id: true, reliability: true, credibility: true, shrinkage: true },
);

/** Sources linked to sources $1 by derivation (each start with itself). */
const LINKED_SOURCES = defineQuery<[sourceIds: string[]], { start: string; source: string }>(
  'corroboration_linked_sources',
  `WITH RECURSIVE ${REACH('SELECT unnest($1::uuid[]) AS id')} SELECT start, source FROM reach`,
  { start: true, source: true },
);

/** Claims with evidence in force from sources $1. */
const CLAIMS_CITING_SOURCES = defineQuery<[sourceIds: string[]], { id: string }>(
  'corroboration_claims_citing_sources',
  `SELECT DISTINCT claim_id AS id FROM evidence WHERE source_id = ANY($1::uuid[]) AND archived_at IS NULL`,
  { id: true },
);

/** Claims with evidence in force attributed to originators $1 or to any merged into them. */
const CLAIMS_CITING_ORIGINATORS = defineQuery<[originatorIds: string[]], { id: string }>(
  'corroboration_claims_citing_originators',
  `SELECT DISTINCT e.claim_id AS id FROM evidence e
   WHERE e.archived_at IS NULL AND e.originator_id IN (
     SELECT id FROM originators WHERE id = ANY($1::uuid[]) OR merged_into_id = ANY($1::uuid[]))`,
  { id: true },
);

/**
 * Writes claims' new figures (arrays by claim, in the order of $1) and each changed claim's
 * weighing (its history and feed entry, at $8 by $9/$10 for $11); moves the claims' update time
 * when their figures changed, or all of them with $12 (their evidence changed); and writes each
 * item's origin and whether it counts (arrays by item, $13–$15: the items whose placing changed). Answers
 * the claims whose figures changed. One statement, so the claims stay locked for one round trip.
 */
const WRITE = defineQuery<
  [
    claimIds: string[], logOdds: number[], probabilities: number[], supportingItems: number[], supportingOrigins: number[],
    contradictingItems: number[], contradictingOrigins: number[], at: Date, actorId: string | null, actorLabel: string, cause: string, touch: boolean,
    itemIds: string[], originIds: string[], counted: boolean[],
  ],
  { id: string; changed: boolean }
>(
  'corroboration_write',
  `WITH figures AS (
     SELECT * FROM unnest($1::uuid[], $2::float8[], $3::float8[], $4::int[], $5::int[], $6::int[], $7::int[])
       AS f(claim_id, log_odds, probability, supporting_items, supporting_origins, contradicting_items, contradicting_origins)
   ), origins AS (
     UPDATE evidence e SET origin_id = u.origin_id, counted = u.counted
     FROM unnest($13::uuid[], $14::uuid[], $15::bool[]) AS u(id, origin_id, counted)
     WHERE e.id = u.id AND (e.origin_id, e.counted) IS DISTINCT FROM (u.origin_id, u.counted)
   ), written AS (
     UPDATE claims c SET evidence_log_odds = f.log_odds, evidence_probability = f.probability,
       supporting_items = f.supporting_items, supporting_origins = f.supporting_origins,
       contradicting_items = f.contradicting_items, contradicting_origins = f.contradicting_origins,
       updated_at = greatest(c.updated_at, $8::timestamptz)
     FROM (SELECT f.*, (c.evidence_log_odds, c.evidence_probability, c.supporting_items, c.supporting_origins, c.contradicting_items, c.contradicting_origins)
                  IS DISTINCT FROM (f.log_odds, f.probability, f.supporting_items, f.supporting_origins, f.contradicting_items, f.contradicting_origins) AS changed
           FROM figures f JOIN claims c ON c.id = f.claim_id) f
     WHERE c.id = f.claim_id AND (f.changed OR $12::bool)
     RETURNING f.*
   ), weighed AS (
     INSERT INTO evidence_weighings (claim_id, log_odds, probability, supporting_items, supporting_origins, contradicting_items, contradicting_origins,
                                     cause, actor_id, actor_label, created_at)
     SELECT claim_id, log_odds, probability, supporting_items, supporting_origins, contradicting_items, contradicting_origins, $11, $9::uuid, $10, $8::timestamptz
     FROM written WHERE changed
   )
   SELECT claim_id AS id, changed FROM written`,
  { id: true, changed: true },
);

/** Claims $1's figures as kept now. */
const CURRENT_WEIGHTS = defineQuery<[claimIds: string[]], EvidenceWeight & { claimId: string }>(
  'corroboration_current_weights',
  `SELECT id AS "claimId", evidence_log_odds AS "logOdds", supporting_items AS "supportingItems",
          supporting_origins AS "supportingOrigins", contradicting_items AS "contradictingItems", contradicting_origins AS "contradictingOrigins"
   FROM claims WHERE id = ANY($1::uuid[])`,
  { claimId: true, logOdds: true, supportingItems: true, supportingOrigins: true, contradictingItems: true, contradictingOrigins: true },
);

/** Each claim of $1's newest weighing made by $2. */
const WEIGHINGS_AT = defineQuery<[claimIds: string[], asOf: Date], EvidenceWeight & { claimId: string }>(
  'corroboration_weighings_at',
  `SELECT DISTINCT ON (claim_id) claim_id AS "claimId", log_odds AS "logOdds", supporting_items AS "supportingItems",
          supporting_origins AS "supportingOrigins", contradicting_items AS "contradictingItems", contradicting_origins AS "contradictingOrigins"
   FROM evidence_weighings WHERE claim_id = ANY($1::uuid[]) AND created_at <= $2 ORDER BY claim_id, created_at DESC, id DESC`,
  { claimId: true, logOdds: true, supportingItems: true, supportingOrigins: true, contradictingItems: true, contradictingOrigins: true },
);

/**
 * Claims $1's evidence weight at $2 as it was computed before weighings were recorded (every
 * item its own origin, each source with the grade its audit trail gives it by then).
 */
const LEGACY_WEIGHTS_AT = defineQuery<[claimIds: string[], asOf: Date], { claimId: string; logOdds: number; supporting: number; contradicting: number }>(
  'corroboration_legacy_weights_at',
  `SELECT e.claim_id AS "claimId", ${EVIDENCE_LOG_ODDS_SQL} AS "logOdds",
          count(*) FILTER (WHERE e.stance = 'supports')::int AS supporting, count(*) FILTER (WHERE e.stance = 'contradicts')::int AS contradicting
   FROM evidence e
   CROSS JOIN LATERAL (SELECT coalesce(
     (SELECT g.after->>'reliability' FROM audit_events g
      WHERE g.entity_id = e.source_id AND g.entity_type = 'source' AND g.at <= $2 AND g.after ? 'reliability' ORDER BY g.id DESC LIMIT 1),
     (SELECT src.reliability::text FROM sources src WHERE src.id = e.source_id)) AS reliability) s
   WHERE e.claim_id = ANY($1::uuid[]) AND ${EVIDENCE_IN_FORCE}
   GROUP BY e.claim_id`,
  { claimId: true, logOdds: true, supporting: true, contradicting: true },
);

/** What the corroboration rule reads and writes. Statements that write run in the caller's transaction. */
@Injectable()
export class CorroborationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The weight set in force, as read by `db` (in a transaction: what has committed when it asks); the default scale before its row is written at start-up. */
  async activeWeights(db: Tx): Promise<EvidenceWeights & { id: string | null }> {
    const [row] = await db.$queryRawUnsafe<{ id: string; reliability: Record<Reliability, number>; credibility: Record<string, number>; shrinkage: number }[]>(ACTIVE_WEIGHTS.text);
    return row ?? { id: null, ...DEFAULT_WEIGHTS };
  }

  lockClaims(tx: Tx, claimIds: string[]): Promise<{ id: string; priorProbability: number | null }[]> {
    return tx.$queryRawUnsafe(LOCK_CLAIMS.text, claimIds);
  }

  /** The claims' evidence in force, with lineages (`db` a transaction, or the client for a read). */
  itemsOf(db: Tx, claimIds: string[]): Promise<ItemRow[]> {
    return db.$queryRawUnsafe(ITEMS_OF.text, claimIds);
  }

  /** Per source, the sources linked to it by derivation, itself included. */
  async linkedSources(tx: Tx, sourceIds: string[]): Promise<Map<string, string[]>> {
    const rows = await tx.$queryRawUnsafe<{ start: string; source: string }[]>(LINKED_SOURCES.text, sourceIds);
    const linked = new Map<string, string[]>();
    for (const { start, source } of rows) linked.set(start, [...(linked.get(start) ?? []), source]);
    return linked;
  }

  async claimsCitingSources(tx: Tx, sourceIds: string[]): Promise<string[]> {
    return (await tx.$queryRawUnsafe<{ id: string }[]>(CLAIMS_CITING_SOURCES.text, sourceIds)).map((row) => row.id);
  }

  async claimsCitingOriginators(tx: Tx, originatorIds: string[]): Promise<string[]> {
    return (await tx.$queryRawUnsafe<{ id: string }[]>(CLAIMS_CITING_ORIGINATORS.text, originatorIds)).map((row) => row.id);
  }

  /** Writes figures and origins (see WRITE); answers the claims whose figures changed. */
  async write(
    tx: Tx,
    figures: Map<string, EvidenceFigures>,
    origins: { id: string; originId: string; counted: boolean }[],
    stamp: { at: Date; actorId: string | null; actorLabel: string; cause: string; touch: boolean },
  ): Promise<string[]> {
    const ids = [...figures.keys()];
    const column = <K extends keyof EvidenceFigures>(key: K) => ids.map((id) => figures.get(id)![key]);
    const rows = await tx.$queryRawUnsafe<{ id: string; changed: boolean }[]>(
      WRITE.text,
      ids, column('logOdds'), column('probability'), column('supportingItems'), column('supportingOrigins'),
      column('contradictingItems'), column('contradictingOrigins'), stamp.at, stamp.actorId, stamp.actorLabel, stamp.cause, stamp.touch,
      origins.map((o) => o.id), origins.map((o) => o.originId), origins.map((o) => o.counted),
    );
    return rows.filter((row) => row.changed).map((row) => row.id);
  }

  currentWeights(claimIds: string[]): Promise<(EvidenceWeight & { claimId: string })[]> {
    return queryRows(this.prisma.pool, CURRENT_WEIGHTS, [claimIds]);
  }

  weighingsAt(claimIds: string[], asOf: Date): Promise<(EvidenceWeight & { claimId: string })[]> {
    return queryRows(this.prisma.pool, WEIGHINGS_AT, [claimIds, asOf]);
  }

  legacyWeightsAt(claimIds: string[], asOf: Date): Promise<{ claimId: string; logOdds: number; supporting: number; contradicting: number }[]> {
    return queryRows(this.prisma.pool, LEGACY_WEIGHTS_AT, [claimIds, asOf]);
  }
}
