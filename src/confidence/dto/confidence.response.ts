import { ApiProperty } from '@nestjs/swagger';
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
  @ApiProperty({ description: 'Current evidence contradicting the claim.' })
  contradictingEvidence: number;
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
  @ApiProperty({ description: 'Last change to the claim, its evidence or its assessment.' })
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

export class ConfidenceChanges {
  @ApiProperty({ type: [ConfidenceChange] })
  items: ConfidenceChange[];
  @ApiProperty({ description: 'Pass as `since` on the next poll (the same value when nothing changed).' })
  nextCursor: string;
}
