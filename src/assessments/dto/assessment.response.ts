import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemDetails } from '../../common/openapi.js';
import { AnalyticConfidence } from '../../generated/prisma/enums.js';
import { ESTIMATIVE_TERM_NAMES, ESTIMATIVE_TERMS_DOC, estimativeTerm, type EstimativeTerm } from '../../vocabulary/estimative.js';

export class AssessmentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ description: 'Version number: 1 for the first assessment of the claim, then 2, 3, ...' })
  version: number;
  @ApiProperty({ minimum: 0, maximum: 1 })
  probability: number;
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES, description: ESTIMATIVE_TERMS_DOC })
  estimativeTerm: EstimativeTerm;
  @ApiProperty({ enum: AnalyticConfidence, description: 'Analytic confidence in the judgement (ICD 203).' })
  confidence: AnalyticConfidence;
  @ApiProperty()
  rationale: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Evidence the judgement rests on.' })
  evidenceIds: string[];
  @ApiProperty({ format: 'uuid' })
  createdById: string;
  @ApiProperty({ description: 'Name of the analyst who made this assessment.' })
  createdByName: string;
  @ApiProperty()
  createdAt: Date;
}

export interface AssessmentRow {
  id: string;
  claimId: string;
  version: number;
  probability: number;
  confidence: AnalyticConfidence;
  rationale: string;
  createdById: string;
  createdAt: Date;
  createdBy: { name: string };
  evidence: { evidenceId: string }[];
}

/** The Prisma `include` that loads what toAssessmentResponse needs. */
export const ASSESSMENT_INCLUDE = {
  createdBy: { select: { name: true } },
  evidence: { select: { evidenceId: true }, orderBy: { evidenceId: 'asc' } },
} as const;

export function toAssessmentResponse(row: AssessmentRow): AssessmentResponse {
  return {
    id: row.id,
    claimId: row.claimId,
    version: row.version,
    probability: row.probability,
    estimativeTerm: estimativeTerm(row.probability),
    confidence: row.confidence,
    rationale: row.rationale,
    evidenceIds: row.evidence.map((link) => link.evidenceId),
    createdById: row.createdById,
    createdByName: row.createdBy.name,
    createdAt: row.createdAt,
  };
}

/** 409 on a new version: someone assessed the claim since `baseVersion` (or it is archived or resolved; then `current` is absent). */
export class AssessmentConflictProblem extends ProblemDetails {
  /** The claim's version now: resubmit on top of it. */
  @ApiPropertyOptional()
  currentVersion?: number;
  /** The version that won, to review before resubmitting. */
  @ApiPropertyOptional({ type: AssessmentResponse, nullable: true })
  current?: AssessmentResponse | null;
}
