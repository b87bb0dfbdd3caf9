import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { BooleanQuery } from '../../common/query.js';
import { CreateSourceDto } from './create-source.dto.js';

export class UpdateSourceDto extends PartialType(CreateSourceDto) {}

/** `?allowDrift=true` on a source update. */
export class UpdateSourceQueryDto {
  /** Keep a new full text even when some quotes cannot be re-anchored in it: they are marked drifted, to be reviewed. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  allowDrift = false;
}
