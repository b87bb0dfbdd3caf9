import { ApiProperty } from '@nestjs/swagger';
import { AnalyticConfidence } from '../../generated/prisma/enums.js';
import { ESTIMATIVE_TERM_NAMES, ESTIMATIVE_TERMS_DOC, estimativeTerm, type EstimativeTerm } from '../../vocabulary/estimative.js';

/** A version of one analyst's own chain of estimates on a claim. */
export class EstimateResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ format: 'uuid' })
  analystId: string;
  @ApiProperty({ description: 'Name of the analyst.' })
  analyst: string;
  @ApiProperty({ description: 'Version in this analyst\'s chain on this claim: 1, 2, …' })
  version: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true, description: 'Null when this version withdraws the estimate.' })
  probability: number | null;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES, nullable: true, description: ESTIMATIVE_TERMS_DOC })
  estimativeTerm: EstimativeTerm | null;
  @ApiProperty({ enum: AnalyticConfidence, nullable: true })
  confidence: AnalyticConfidence | null;
  @ApiProperty()
  rationale: string;
  @ApiProperty({ description: 'This version withdraws the analyst\'s estimate: they no longer count in the consensus.' })
  withdrawn: boolean;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Evidence of the claim the estimate rests on.' })
  evidenceIds: string[];
  @ApiProperty()
  createdAt: Date;
}

export const toEstimateResponse = (row: Omit<EstimateResponse, 'estimativeTerm'>): EstimateResponse => ({
  ...row,
  estimativeTerm: row.probability === null ? null : estimativeTerm(row.probability),
});
