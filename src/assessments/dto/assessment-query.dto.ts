import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';

export class AssessmentQueryDto extends PageQueryDto {
  /** Only versions made at or before this time (ISO 8601). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;

  @ApiPropertyOptional({ enum: ['-version', 'version'], default: '-version' })
  @IsOptional()
  @IsIn(['-version', 'version'])
  sort: '-version' | 'version' = '-version';

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page.' })
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'cursor must be a nextCursor value' })
  declare cursor?: string;
}
