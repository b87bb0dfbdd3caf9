import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AnalyticConfidence } from '../../generated/prisma/enums.js';
import { ESTIMATIVE_TERMS_DOC } from '../../vocabulary/estimative.js';
import { Trim } from '../../common/text.js';

export class CreateAssessmentDto {
  /** Probability that the claim is true, 0 to 1. */
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.7, description: `Probability that the claim is true. ${ESTIMATIVE_TERMS_DOC}` })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  probability: number;

  @ApiProperty({ enum: AnalyticConfidence })
  @IsEnum(AnalyticConfidence)
  confidence: AnalyticConfidence;

  /** Why: which evidence moved the judgement, and what would change it. */
  @ApiProperty({ maxLength: 20000 })
  @Trim()
  @IsString()
  @Matches(/\S/, { message: 'rationale must not be empty' })
  @MaxLength(20000)
  rationale: string;

  /** Evidence of this claim the judgement rests on. */
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  evidenceIds?: string[];

  /** When this judgement should be looked at again: sets the claim's review-by time (without it, the claim keeps its own). */
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-12-31T17:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'reviewBy must be an ISO 8601 date-time' })
  reviewBy?: string;

  /**
   * The version this assessment revises (0 for a claim's first). If someone
   * assessed the claim since, the answer is 409 with the current version.
   * May be given instead as If-Match with the claim's ETag; one of the two is
   * required (428 otherwise), so the schema asks for this one.
   */
  // Versions are PostgreSQL integers: a larger base is refused here, not by the database (a 500).
  @ApiProperty({ minimum: 0, maximum: 2_147_483_647, required: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  baseVersion?: number;
}
