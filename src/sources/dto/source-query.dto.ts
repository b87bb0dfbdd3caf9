import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional } from 'class-validator';
import { Reliability, SourceKind } from '../../generated/prisma/enums.js';
import { ListQueryDto } from '../../common/query.js';

export const SOURCE_SORTS = ['-updatedAt', 'updatedAt', '-publishedOn', 'publishedOn', 'title'] as const;

export class SourceQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: SourceKind })
  @IsOptional()
  @IsEnum(SourceKind)
  kind?: SourceKind;

  @ApiPropertyOptional({ enum: Reliability })
  @IsOptional()
  @IsEnum(Reliability)
  reliability?: Reliability;

  /** A leading "-" sorts descending. */
  @ApiPropertyOptional({ enum: SOURCE_SORTS, default: '-updatedAt' })
  @IsOptional()
  @IsIn(SOURCE_SORTS)
  sort: (typeof SOURCE_SORTS)[number] = '-updatedAt';
}
