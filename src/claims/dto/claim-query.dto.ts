import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ClaimStatus } from '../../generated/prisma/enums.js';
import { PageQueryDto } from '../../common/pagination.js';
import { AsOfQueryDto, SearchFilterDto } from '../../common/query.js';

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
}

export const CLAIM_SORTS = ['-updatedAt', 'updatedAt', '-createdAt', 'createdAt', '-probability', 'probability'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

export class ClaimQueryDto extends IntersectionType(PageQueryDto, ClaimFilterDto, AsOfQueryDto) {
  /** A leading "-" sorts descending. Probability sorts use the current assessment, so they do not combine with asOf. */
  @ApiPropertyOptional({ enum: CLAIM_SORTS, default: '-updatedAt' })
  @IsOptional()
  @IsIn(CLAIM_SORTS)
  sort: ClaimSort = '-updatedAt';
}
