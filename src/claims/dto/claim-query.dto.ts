import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ClaimStatus } from '../../generated/prisma/enums.js';
import { PageQueryDto } from '../../common/pagination.js';
import { BooleanQuery } from '../../common/query.js';

/** Which claims: shared by the claim list, the confidence feed and the reports. */
export class ClaimFilterDto {
  /** Full-text search over statements and quotes (PostgreSQL websearch syntax: words, "phrases", -exclusions, or). */
  @ApiPropertyOptional({ example: 'arms supplies -drones' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  q?: string;

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

  /** Only claims changed (edited or assessed) at or after this time (ISO 8601). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;

  /** Include archived claims. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  includeArchived = false;
}

/** `asOf`: the state in force at a moment. */
export class AsOfFilterDto {
  /** The assessments and evidence in force at this time (ISO 8601); claims created later are left out. */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export const CLAIM_SORTS = ['-updatedAt', 'updatedAt', '-createdAt', 'createdAt', '-probability', 'probability'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

export class ClaimQueryDto extends IntersectionType(PageQueryDto, ClaimFilterDto, AsOfFilterDto) {
  /** A leading "-" sorts descending. Probability sorts use the current assessment, so they do not combine with asOf. */
  @ApiPropertyOptional({ enum: CLAIM_SORTS, default: '-updatedAt' })
  @IsOptional()
  @IsIn(CLAIM_SORTS)
  sort: ClaimSort = '-updatedAt';
}
