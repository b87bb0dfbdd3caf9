import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ClaimStatus } from '../../generated/prisma/enums.js';
import { ListQueryDto } from '../../common/query.js';

export const CLAIM_SORTS = ['-updatedAt', 'updatedAt', '-createdAt', 'createdAt', '-probability', 'probability'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

export class ClaimQueryDto extends ListQueryDto {
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

  /** The assessments and evidence in force at this time (ISO 8601); claims created later are left out. */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;

  /** A leading "-" sorts descending. Probability sorts use the current assessment, so they do not combine with asOf. */
  @ApiPropertyOptional({ enum: CLAIM_SORTS, default: '-updatedAt' })
  @IsOptional()
  @IsIn(CLAIM_SORTS)
  sort: ClaimSort = '-updatedAt';
}
