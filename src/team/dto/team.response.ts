import { ApiProperty } from '@nestjs/swagger';
import { CONSENSUS_DOC, bandsApart, teamConsensus } from '../../analysis/consensus.js';
import { AnalyticConfidence } from '../../generated/prisma/enums.js';
import { ESTIMATIVE_TERM_NAMES, estimativeTerm, type EstimativeTerm } from '../../vocabulary/estimative.js';
import type { LatestEstimate } from '../estimates.repository.js';

/** An analyst's latest estimate, as reports list it. */
export class TeamEstimate {
  @ApiProperty({ format: 'uuid' })
  analystId: string;
  @ApiProperty()
  analyst: string;
  @ApiProperty({ description: 'Version of their chain.' })
  version: number;
  @ApiProperty({ minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true })
  probability: number;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES })
  estimativeTerm: EstimativeTerm;
  @ApiProperty({ enum: AnalyticConfidence })
  confidence: AnalyticConfidence;
  @ApiProperty()
  estimatedAt: string;
}

export class TeamResponse {
  @ApiProperty({ description: 'Blind first: analysts see the estimates only after recording their own.' })
  blind: boolean;
  @ApiProperty({
    description:
      'True when the values are withheld from you: the claim is blind and you have not estimated it (viewers and API keys: until two analysts have). ' +
      'Only `analysts` is given then.',
  })
  hidden: boolean;
  @ApiProperty({ description: 'Analysts whose latest estimate stands (withdrawn ones do not count).' })
  analysts: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: `${CONSENSUS_DOC} Null without estimates.` })
  consensus: number | null;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES, nullable: true })
  estimativeTerm: EstimativeTerm | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Lowest estimate.' })
  min: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Highest estimate.' })
  max: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Interquartile range of the estimates\' log-odds (interpolated quartiles).' })
  iqrLogOdds: number | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'The estimates span two or more ICD 203 bands (e.g. one "unlikely", one "likely").' })
  dissent: boolean | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'record: likely; team: very likely',
    description: 'Set when the assessment of record and the consensus fall in different ICD 203 bands.',
  })
  gap: string | null;
}

/** The team's judgement from each analyst's latest estimate, next to the record's probability. */
export function toTeam(latest: Pick<LatestEstimate, 'analystId' | 'probability' | 'weight'>[], record: number | null, blind: boolean, extremizing: number): TeamResponse {
  const pooled = teamConsensus(latest, extremizing);
  const recordTerm = record === null ? null : estimativeTerm(record);
  return {
    blind,
    hidden: false,
    analysts: latest.length,
    consensus: pooled?.probability ?? null,
    estimativeTerm: pooled?.estimativeTerm ?? null,
    min: pooled?.min ?? null,
    max: pooled?.max ?? null,
    iqrLogOdds: pooled?.iqrLogOdds ?? null,
    dissent: pooled?.dissent ?? false,
    gap: pooled && recordTerm && bandsApart(record, pooled.probability) ? `record: ${recordTerm}; team: ${pooled.estimativeTerm}` : null,
  };
}

/** Each analyst's latest estimate, with its term: what reports list under the team (the API lists chains at /claims/:id/estimates). */
export const teamEstimates = (latest: LatestEstimate[]): TeamEstimate[] =>
  latest.map(({ weight: _, ...e }) => ({ ...e, confidence: e.confidence as AnalyticConfidence, estimativeTerm: estimativeTerm(e.probability) }));

/** The same, with its values withheld (blind first): how many have estimated, and nothing else. */
export const hiddenTeam = (team: TeamResponse): TeamResponse => ({
  blind: true,
  hidden: true,
  analysts: team.analysts,
  consensus: null,
  estimativeTerm: null,
  min: null,
  max: null,
  iqrLogOdds: null,
  dissent: null,
  gap: null,
});
