import { ApiProperty } from '@nestjs/swagger';
import { FIT_MIN_CLAIMS } from '../../analysis/weight-fit.js';
import { SOURCE_RELIABILITY_DOC, INFORMATION_CREDIBILITY_DOC } from '../../vocabulary/admiralty.js';
import type { WeightSetRow } from '../weight-sets.repository.js';

const grades = (keys: string[]) => ({
  type: 'object' as const,
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'number' as const, minimum: 0 }])),
  required: keys,
  additionalProperties: false,
});

export class WeightSetResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ description: 'Numbered in order of creation; the default set is the first.' })
  version: number;
  @ApiProperty({ enum: ['default', 'fitted'], description: 'The documented scale, or a set fitted to resolved claims.' })
  kind: 'default' | 'fitted';
  @ApiProperty({ ...grades(['A', 'B', 'C', 'D', 'E', 'F']), description: `R: the weight of each source reliability grade (A is anchored at 1). ${SOURCE_RELIABILITY_DOC}` })
  reliability: Record<string, number>;
  @ApiProperty({ ...grades(['1', '2', '3', '4', '5', '6']), description: `C: the weight of each information credibility grade (1 is anchored at 1). ${INFORMATION_CREDIBILITY_DOC}` })
  credibility: Record<string, number>;
  @ApiProperty({ minimum: 0, exclusiveMinimum: true, description: 'γ: every stated likelihood ratio counts as its γ-th power (1: as stated; below 1: stated ratios are overconfident).' })
  shrinkage: number;
  @ApiProperty({ description: 'Whether the fit converged; a set that did not cannot be activated.' })
  converged: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Iterations the fit took (null for the default set).' })
  iterations: number | null;
  @ApiProperty({ description: `Resolved claims the set was fitted on (0 for the default set); a fit needs ${FIT_MIN_CLAIMS} with evidence, a fifth of them held out.` })
  trainingClaims: number;
  @ApiProperty({ description: 'Resolved claims held out of the fit and scored.' })
  heldOutClaims: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean natural-log score of the held-out outcomes with this set (0 perfect; higher is better).' })
  heldOutLogScore: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The same score with the set that was active when this one was fitted, on the same claims.' })
  baselineLogScore: number | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The set that was active when this one was fitted.' })
  baselineSetId: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "(heldOutLogScore − baselineLogScore) / |baselineLogScore|: 0.05 is 5 % better than the active set's." })
  improvement: number | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, nullable: true })
  createdBy: string | null;
  @ApiProperty({ description: 'Whether every evidence-weighted probability is computed with this set now.' })
  active: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When an admin last activated it.' })
  activatedAt: string | null;
  @ApiProperty({ type: String, nullable: true })
  activatedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When every claim had been reweighed with it after its last activation.' })
  recomputedAt: string | null;
}

export class WeightSetActivationResponse extends WeightSetResponse {
  @ApiProperty({ description: 'Claims reweighed with the set.' })
  recomputedClaims: number;
  @ApiProperty({ description: 'Claims whose evidence-weighted probability changed (announced as changes: caches, the feed, updatedSince).' })
  changedClaims: number;
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

export function toWeightSetResponse(row: WeightSetRow): WeightSetResponse {
  const { createdByLabel, activatedByLabel, ...set } = row;
  return {
    ...set,
    improvement: set.heldOutLogScore !== null && set.baselineLogScore ? (set.heldOutLogScore - set.baselineLogScore) / Math.abs(set.baselineLogScore) : null,
    createdAt: row.createdAt.toISOString(),
    createdBy: createdByLabel,
    activatedAt: iso(row.activatedAt),
    activatedBy: activatedByLabel,
    recomputedAt: iso(row.recomputedAt),
  };
}
