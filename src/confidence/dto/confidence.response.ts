import { ApiProperty } from '@nestjs/swagger';
import { TeamResponse } from '../../team/dto/team.response.js';
import { WEIGHING_CAUSES, type WeighingCause } from '../../provenance/corroboration.service.js';
import { AnalyticConfidence, ClaimStatus } from '../../generated/prisma/enums.js';
import { EVIDENCE_WEIGHT_DOC } from '../../analysis/evidence-weight.js';
import { ESTIMATIVE_TERM_NAMES, ESTIMATIVE_TERMS_DOC, type EstimativeTerm } from '../../vocabulary/estimative.js';

export class ConfidenceResponse {
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty()
  statement: string;
  @ApiProperty({ enum: ClaimStatus })
  status: ClaimStatus;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'Null until the claim is first assessed.' })
  probability: number | null;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES, nullable: true, description: ESTIMATIVE_TERMS_DOC })
  estimativeTerm: EstimativeTerm | null;
  @ApiProperty({ enum: AnalyticConfidence, nullable: true })
  confidence: AnalyticConfidence | null;
  @ApiProperty({ description: 'Assessment version; 0 before the first.' })
  version: number;
  @ApiProperty({ type: Date, nullable: true })
  assessedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assessedById: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Name of the analyst.' })
  assessedBy: string | null;
  @ApiProperty({ description: 'Current evidence supporting the claim.' })
  supportingEvidence: number;
  @ApiProperty({ description: 'Independent origins among the supporting evidence (items sharing an originator or derived sources are one): what the evidence-weighted probability counts.' })
  supportingOrigins: number;
  @ApiProperty({ description: 'Current evidence contradicting the claim.' })
  contradictingEvidence: number;
  @ApiProperty({ description: 'Independent origins among the contradicting evidence.' })
  contradictingOrigins: number;
  @ApiProperty({ description: EVIDENCE_WEIGHT_DOC, minimum: 0, maximum: 1 })
  evidenceProbability: number;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES })
  evidenceTerm: EstimativeTerm;
  @ApiProperty({ type: Number, nullable: true, description: 'The prior the evidence starts from; null means 0.5.' })
  priorProbability: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'analyst: very likely; evidence: roughly even chance',
    description: 'Set when the analyst and the evidence fall in different ICD 203 bands.',
  })
  gap: string | null;
  @ApiProperty({ type: TeamResponse, description: 'The analysts\' own estimates and their consensus, next to the assessment of record.' })
  team: TeamResponse;
  @ApiProperty({ description: 'Last change to the claim, its evidence, its assessment or its estimates.' })
  updatedAt: Date;
}

export class ConfidenceChange {
  @ApiProperty({ description: 'Position of this change in the feed; pass as `since` to read what follows.' })
  cursor: string;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ description: 'The assessment version this change created.' })
  version: number;
  @ApiProperty({ minimum: 0, maximum: 1 })
  probability: number;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES })
  estimativeTerm: EstimativeTerm;
  @ApiProperty({ enum: AnalyticConfidence })
  confidence: AnalyticConfidence;
  @ApiProperty()
  assessedAt: Date;
  @ApiProperty({ format: 'uuid' })
  assessedById: string;
  @ApiProperty()
  assessedBy: string;
}

/** A new version of an analyst's own estimate. */
export class EstimateChange {
  @ApiProperty({ description: 'Position of this change in the feed; pass as `since` to read what follows.' })
  cursor: string;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ format: 'uuid' })
  analystId: string;
  @ApiProperty()
  analyst: string;
  @ApiProperty({ description: 'Version of the analyst\'s chain on the claim.' })
  version: number;
  @ApiProperty()
  withdrawn: boolean;
  @ApiProperty({ description: 'The claim is blind first: the feed never carries its estimates\' values.' })
  blind: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Null when withdrawn, or when the claim is blind.' })
  probability: number | null;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES, nullable: true })
  estimativeTerm: EstimativeTerm | null;
  @ApiProperty({ enum: AnalyticConfidence, nullable: true })
  confidence: AnalyticConfidence | null;
  @ApiProperty()
  estimatedAt: Date;
}

/** A new evidence weight of a claim: its evidence, a grade, an attribution, a derivation or its prior changed. */
export class EvidenceChange {
  @ApiProperty({ description: 'Position of this change in the feed; pass as `since` to read what follows.' })
  cursor: string;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ minimum: 0, maximum: 1 })
  evidenceProbability: number;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES })
  evidenceTerm: EstimativeTerm;
  @ApiProperty()
  supportingEvidence: number;
  @ApiProperty()
  supportingOrigins: number;
  @ApiProperty()
  contradictingEvidence: number;
  @ApiProperty()
  contradictingOrigins: number;
  @ApiProperty({ enum: WEIGHING_CAUSES, description: 'What moved it.' })
  cause: WeighingCause;
  @ApiProperty()
  changedAt: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  changedById: string | null;
  @ApiProperty({ description: 'Who made the change (a user\'s email, an API key, or "system").' })
  changedBy: string;
}

export class ConfidenceChanges {
  @ApiProperty({ type: [ConfidenceChange], description: 'New assessment versions.' })
  items: ConfidenceChange[];
  @ApiProperty({ type: [EstimateChange], required: false, description: 'With include=estimates: new estimate versions, in the same stretch of the feed.' })
  estimates?: EstimateChange[];
  @ApiProperty({ type: [EvidenceChange], required: false, description: 'With include=evidence: new evidence weights, in the same stretch of the feed.' })
  evidence?: EvidenceChange[];
  @ApiProperty({ description: 'Pass as `since` on the next poll (the same value when nothing changed).' })
  nextCursor: string;
}
