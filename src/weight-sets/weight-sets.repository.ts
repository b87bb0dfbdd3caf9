import { Injectable } from '@nestjs/common';
import type { EvidenceWeights } from '../analysis/evidence-weight.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery } from '../database/query.js';
import type { Tx } from '../database/transactions.js';
import type { ItemRow } from '../provenance/corroboration.repository.js';
import { ACTIVE_WEIGHT_SET_ID, ITEM_COLUMNS, itemsSql } from '../provenance/corroboration.repository.js';
import { RESOLVED } from '../track-records/track-records.repository.js';

/** A weight set as stored, with its newest activation and whether it is the one in force. */
export interface WeightSetRow extends EvidenceWeights {
  id: string;
  version: number;
  kind: 'default' | 'fitted';
  converged: boolean;
  iterations: number | null;
  trainingClaims: number;
  heldOutClaims: number;
  heldOutLogScore: number | null;
  baselineLogScore: number | null;
  baselineSetId: string | null;
  createdAt: Date;
  createdByLabel: string | null;
  activatedAt: Date | null;
  activatedByLabel: string | null;
  recomputedAt: Date | null;
  active: boolean;
}

/** What a new set stores. */
export type NewWeightSet = Pick<
  WeightSetRow,
  'kind' | 'reliability' | 'credibility' | 'shrinkage' | 'converged' | 'iterations' | 'trainingClaims' | 'heldOutClaims' | 'heldOutLogScore' | 'baselineLogScore' | 'baselineSetId'
>;

/** A resolved claim a fit learns from: its prior and its outcome. */
export interface ResolvedCaseRow {
  id: string;
  prior: number;
  outcome: boolean;
}

/** Evidence for or against that was in force when its claim resolved (recorded by then, not archived by then). */
const IN_FORCE_AT_RESOLUTION = `${RESOLVED} AND e.stance IN ('supports', 'contradicts')
  AND e.created_at <= c.resolved_at AND (e.archived_at IS NULL OR e.archived_at > c.resolved_at)`;

const RESOLVED_CASES = defineQuery<[], ResolvedCaseRow>(
  'weight_sets_resolved_cases',
  `SELECT c.id, coalesce(c.prior_probability, 0.5)::float8 AS prior, c.status = 'resolved_true' AS outcome FROM claims c
   WHERE EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = c.id AND ${IN_FORCE_AT_RESOLUTION}) ORDER BY c.id`,
  { id: true, prior: true, outcome: true },
);

const RESOLVED_ITEMS = defineQuery<[], ItemRow>('weight_sets_resolved_items', itemsSql(IN_FORCE_AT_RESOLUTION), ITEM_COLUMNS);

const SET_COLUMNS = `w.id, w.version, w.kind, w.reliability, w.credibility, w.shrinkage, w.converged, w.iterations,
  w.training_claims AS "trainingClaims", w.held_out_claims AS "heldOutClaims", w.held_out_log_score AS "heldOutLogScore",
  w.baseline_log_score AS "baselineLogScore", w.baseline_set_id AS "baselineSetId", w.created_at AS "createdAt", w.created_by_label AS "createdByLabel",
  last.activated_at AS "activatedAt", last.actor_label AS "activatedByLabel", last.recomputed_at AS "recomputedAt",
  w.id = ${ACTIVE_WEIGHT_SET_ID} AS active`;
const SET_COLUMN_NAMES = {
  id: true, version: true, kind: true, reliability: true, credibility: true, shrinkage: true, converged: true, iterations: true, trainingClaims: true,
  heldOutClaims: true, heldOutLogScore: true, baselineLogScore: true, baselineSetId: true, createdAt: true, createdByLabel: true, activatedAt: true,
  activatedByLabel: true, recomputedAt: true, active: true,
} as const;
const LAST_ACTIVATION = `LEFT JOIN LATERAL (SELECT * FROM weight_set_activations a WHERE a.weight_set_id = w.id ORDER BY a.id DESC LIMIT 1) last ON true`;

/** Every set, newest first (`$1` null), or set $1. */
const SETS = defineQuery<[id: string | null], WeightSetRow>(
  'weight_sets_list',
  `SELECT ${SET_COLUMNS} FROM weight_sets w ${LAST_ACTIVATION} WHERE $1::uuid IS NULL OR w.id = $1 ORDER BY w.version DESC`,
  SET_COLUMN_NAMES,
);

/** Writes the default set unless it exists (at start-up, from the documented scale: every instance may try at once). */
const ENSURE_DEFAULT = defineQuery<[reliability: string, credibility: string, shrinkage: number], Record<string, never>>(
  'weight_sets_ensure_default',
  `INSERT INTO weight_sets (id, kind, reliability, credibility, shrinkage, converged, training_claims, held_out_claims)
   SELECT gen_random_uuid(), 'default', $1::jsonb, $2::jsonb, $3::float8, true, 0, 0 WHERE $3::float8 IS NOT NULL
   ON CONFLICT (kind) WHERE kind = 'default' DO NOTHING`,
  {},
);

/** The newest activation, when its set has not yet reweighed every claim (an instance stopped during it). */
const UNFINISHED_ACTIVATION = defineQuery<[], { id: string; weightSetId: string }>(
  'weight_sets_unfinished_activation',
  `SELECT id::text, weight_set_id AS "weightSetId" FROM (SELECT * FROM weight_set_activations ORDER BY id DESC LIMIT 1) a WHERE recomputed_at IS NULL`,
  { id: true, weightSetId: true },
);

/** Claim ids after $1 in id order, $2 at most: the batches an activation reweighs. */
const CLAIMS_AFTER = defineQuery<[after: string, limit: number], { id: string }>(
  'weight_sets_claims_after',
  `SELECT id FROM claims WHERE id > $1::uuid ORDER BY id LIMIT $2`,
  { id: true },
);

/** Weight sets, their activations, and what a fit reads. */
@Injectable()
export class WeightSetsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Resolved claims with evidence for or against in force at their resolution, and that evidence. */
  async resolvedCases(): Promise<{ cases: ResolvedCaseRow[]; items: ItemRow[] }> {
    const [cases, items] = await this.prisma.$transaction(
      [this.prisma.$queryRawUnsafe<ResolvedCaseRow[]>(RESOLVED_CASES.text), this.prisma.$queryRawUnsafe<ItemRow[]>(RESOLVED_ITEMS.text)],
      { isolationLevel: 'RepeatableRead' },
    );
    return { cases, items };
  }

  list(): Promise<WeightSetRow[]> {
    return this.prisma.$queryRawUnsafe(SETS.text, null);
  }

  async find(id: string, db: Tx = this.prisma): Promise<WeightSetRow | undefined> {
    const [row] = await db.$queryRawUnsafe<WeightSetRow[]>(SETS.text, id);
    return row;
  }

  async ensureDefault(weights: EvidenceWeights): Promise<void> {
    await this.prisma.$executeRawUnsafe(ENSURE_DEFAULT.text, JSON.stringify(weights.reliability), JSON.stringify(weights.credibility), weights.shrinkage);
  }

  async create(tx: Tx, set: NewWeightSet, createdBy: { actorId: string | null; actorLabel: string }): Promise<string> {
    const row = await tx.weightSet.create({
      data: { ...set, createdById: createdBy.actorId, createdByLabel: createdBy.actorLabel },
      select: { id: true },
    });
    return row.id;
  }

  async activate(tx: Tx, weightSetId: string, by: { actorId: string | null; actorLabel: string }): Promise<bigint> {
    const row = await tx.weightSetActivation.create({ data: { weightSetId, actorId: by.actorId, actorLabel: by.actorLabel }, select: { id: true } });
    return row.id;
  }

  async recomputed(activationId: bigint | string): Promise<void> {
    await this.prisma.weightSetActivation.update({ where: { id: BigInt(activationId) }, data: { recomputedAt: new Date() } });
  }

  async unfinishedActivation(): Promise<{ id: string; weightSetId: string } | undefined> {
    const [row] = await this.prisma.$queryRawUnsafe<{ id: string; weightSetId: string }[]>(UNFINISHED_ACTIVATION.text);
    return row;
  }

  async claimsAfter(after: string, limit: number): Promise<string[]> {
    return (await this.prisma.$queryRawUnsafe<{ id: string }[]>(CLAIMS_AFTER.text, after, limit)).map((row) => row.id);
  }
}
