import { ApiProperty } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { ESTIMATIVE_TERM_NAMES, type EstimativeTerm } from '../../vocabulary/estimative.js';
import { Reliability } from '../../generated/prisma/enums.js';
import { SOURCE_RELIABILITY, SUGGESTION_MIN_ITEMS } from '../../vocabulary/admiralty.js';

const EARNED_DOC = Object.entries(SOURCE_RELIABILITY).filter(([, g]) => g.earnedAt !== null).map(([grade, g]) => `${grade} from ${g.earnedAt}`).join(', ');

export const FORECASTER_KINDS = ['analyst', 'record', 'consensus', 'evidence'] as const;
export type ForecasterKind = (typeof FORECASTER_KINDS)[number];

const SCORES_DOC =
  "Time-weighted: the forecast in force at each moment, from the forecaster's first forecast to the resolution, scored and averaged over that span; " +
  'over many claims each claim weighs its coverage, never its number of versions.';

export class ForecasterRecord {
  @ApiProperty({ description: "The analyst's id; for the team's forecasters, their kind (record, consensus, evidence)." })
  id: string;
  @ApiProperty({ enum: FORECASTER_KINDS, description: "An analyst (their own estimates), the team's record (assessments), the team's consensus, or the evidence model." })
  kind: ForecasterKind;
  @ApiProperty()
  name: string;
  @ApiProperty({ description: 'Resolved claims scored.' })
  claims: number;
  @ApiProperty({ type: Number, nullable: true, description: `Brier score: 0 perfect, 0.25 always 50 %. ${SCORES_DOC}` })
  brierScore: number | null;
  @ApiProperty({ type: Number, nullable: true, description: `Natural-log score: 0 perfect, −0.693 always 50 %. ${SCORES_DOC}` })
  logScore: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "Mean share of each claim's life (created → resolved) the forecaster had a forecast in force." })
  coverage: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "Log score minus the team's (the consensus, else the record) over the same spans: above 0 beats the team." })
  peerScore: number | null;
}

export class ForecasterClaim {
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty()
  outcome: boolean;
  @ApiProperty()
  resolvedAt: Date;
  @ApiProperty()
  brierScore: number;
  @ApiProperty()
  logScore: number;
  @ApiProperty()
  coverage: number;
  @ApiProperty({ type: Number, nullable: true })
  peerScore: number | null;
  @ApiProperty({ description: 'The probability in force, averaged over the scored span.' })
  meanProbability: number;
  @ApiProperty({ description: 'Versions given before the resolution.' })
  versions: number;
}

export class ForecasterDetail extends ForecasterRecord {
  @ApiProperty({ type: [ForecasterClaim] })
  scoredClaims: ForecasterClaim[];
}

export class CalibrationBand {
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES })
  term: EstimativeTerm;
  @ApiProperty()
  from: number;
  @ApiProperty()
  to: number;
  @ApiProperty({ description: 'Claims whose time-weighted forecast fell in this band.' })
  claims: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Their time-weighted forecast, coverage-weighted.' })
  meanProbability: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of them that turned out true (coverage-weighted).' })
  observedFrequency: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Wilson 95 % interval of the observed frequency, lower end.' })
  low: number | null;
  @ApiProperty({ type: Number, nullable: true })
  high: number | null;
}

export class MurphyDecomposition {
  @ApiProperty({ description: 'Σ n (forecast − observed)² / N over the bands: 0 is perfectly calibrated.' })
  reliability: number;
  @ApiProperty({ description: 'Σ n (observed − base rate)² / N: how far the forecasts sort true from false.' })
  resolution: number;
  @ApiProperty({ description: 'base rate × (1 − base rate): what always forecasting the base rate would score.' })
  uncertainty: number;
}

export class AnalystCalibration extends ForecasterRecord {
  @ApiProperty({ type: [CalibrationBand] })
  bands: CalibrationBand[];
}

export class TopicCalibration {
  @ApiProperty()
  topic: string;
  @ApiProperty()
  claims: number;
  @ApiProperty({ type: Number, nullable: true })
  brierScore: number | null;
  @ApiProperty({ type: [CalibrationBand] })
  bands: CalibrationBand[];
}

export class CalibrationResponse {
  @ApiProperty({ description: "Resolved claims with a forecast of record before their resolution (annulled ones are not scored)." })
  claims: number;
  @ApiProperty({ description: "Assessment versions of record given before their claim's resolution." })
  forecasts: number;
  @ApiProperty({ type: Number, nullable: true, description: `The team's record: ${SCORES_DOC}` })
  brierScore: number | null;
  @ApiProperty({ type: Number, nullable: true })
  logScore: number | null;
  @ApiProperty({ type: MurphyDecomposition, nullable: true, description: "The record's Brier score ≈ reliability − resolution + uncertainty (over the bands)." })
  murphy: MurphyDecomposition | null;
  @ApiProperty({ type: [CalibrationBand], description: "The team's record per ICD 203 band." })
  bands: CalibrationBand[];
  @ApiProperty({ type: [AnalystCalibration], description: "Each analyst's own estimates." })
  analysts: AnalystCalibration[];
  @ApiProperty({ type: [TopicCalibration], description: "The team's record per topic." })
  topics: TopicCalibration[];
}

export class AgreementRecord {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ description: "The source's title or the originator's name." })
  name: string;
  @ApiProperty({ enum: Reliability, nullable: true, description: 'The grade analysts gave it (an originator may have none).' })
  reliability: Reliability | null;
  @ApiProperty({ description: 'Its items for or against resolved claims, in force at the resolution.' })
  items: number;
  @ApiProperty({ description: 'Those whose stance the outcome bore out (supports and true, contradicts and false).' })
  agreed: number;
  @ApiProperty({ description: 'Posterior mean agreement under a uniform Beta(1, 1) prior: (agreed + 1) / (items + 2).' })
  mean: number;
  @ApiProperty({ description: 'Central 95 % interval of the Beta(agreed + 1, items − agreed + 1) posterior, lower end.' })
  low: number;
  @ApiProperty()
  high: number;
  @ApiProperty({ enum: Reliability, nullable: true, description: `The grade its record earns (${EARNED_DOC}), once it has ${SUGGESTION_MIN_ITEMS} items, when it differs from its grade and was not dismissed. Apply it with an ordinary regrade.` })
  suggestedReliability: Reliability | null;
}

export class DismissSuggestionDto {
  /** The suggested grade being dismissed. */
  @ApiProperty({ enum: Reliability })
  @IsEnum(Reliability)
  reliability: Reliability;
}
