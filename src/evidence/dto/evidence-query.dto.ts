import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsUUID } from 'class-validator';
import { Stance } from '../../generated/prisma/enums.js';
import { AsOfQueryDto, ListQueryDto } from '../../common/query.js';

export const EVIDENCE_SORTS = ['createdAt', '-createdAt', '-diagnosticity', 'credibility'] as const;
export type EvidenceSort = (typeof EVIDENCE_SORTS)[number];

export class EvidenceQueryDto extends IntersectionType(ListQueryDto, AsOfQueryDto) {
  @ApiPropertyOptional({ enum: Stance })
  @IsOptional()
  @IsEnum(Stance)
  stance?: Stance;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  source?: string;

  /** A leading "-" sorts descending. */
  @ApiPropertyOptional({ enum: EVIDENCE_SORTS, default: 'createdAt' })
  @IsOptional()
  @IsIn(EVIDENCE_SORTS)
  sort: EvidenceSort = 'createdAt';
}
