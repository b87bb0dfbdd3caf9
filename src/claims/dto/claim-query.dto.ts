import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsEnum, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ClaimStatus } from '../../generated/prisma/enums.js';
import { PageQueryDto } from '../../common/pagination.js';
import { AsOfQueryDto, BooleanQuery, SearchFilterDto } from '../../common/query.js';

/** Which claims: shared by the claim list, the confidence feed and the reports. */
export class ClaimFilterDto extends SearchFilterDto {
  @ApiPropertyOptional({ example: 'arms' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  topic?: string;

  @ApiPropertyOptional({ enum: ClaimStatus })
  @IsOptional()
  @IsEnum(ClaimStatus)
  status?: ClaimStatus;

  @ApiPropertyOptional({ example: 'China' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entity?: string;

  /** Claims that appear in, or have evidence from, this source. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  source?: string;

  /** These claims only: ids separated by commas (a page of a list, say, whose confidence a client wants at once). */
  @ApiPropertyOptional({ type: String, example: '7d3f0c1e-5b2a-4c7e-9f1a-2b3c4d5e6f70,0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', description: 'Up to 500 claim ids, comma-separated.' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((id) => id.trim()) : value))
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'ids must be claim ids (UUIDs) separated by commas' })
  ids?: string[];

  /** Claims due for review: their review-by time has passed (not archived); today's only. */
  @ApiPropertyOptional()
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  reviewDue?: boolean;

  /** Claims whose analysts' estimates lie two or more ICD 203 bands apart (the team's dissent); today's only. */
  @ApiPropertyOptional()
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  dissent?: boolean;

  /** Claims whose assessment of record and team consensus fall in different ICD 203 bands; today's only. */
  @ApiPropertyOptional()
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  teamGap?: boolean;
}

export const CLAIM_SORTS = ['-updatedAt', 'updatedAt', '-createdAt', 'createdAt', '-probability', 'probability', '-dissent', '-teamGap'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

export class ClaimQueryDto extends IntersectionType(PageQueryDto, ClaimFilterDto, AsOfQueryDto) {
  /**
   * A leading "-" sorts descending. `-dissent`: estimates furthest apart (in ICD 203 bands) first; `-teamGap`: record and
   * consensus furthest apart first. Probability, dissent and gap sorts use today's judgements, so they do not combine with asOf.
   */
  @ApiPropertyOptional({ enum: CLAIM_SORTS, default: '-updatedAt' })
  @IsOptional()
  @IsIn(CLAIM_SORTS)
  sort: ClaimSort = '-updatedAt';
}
