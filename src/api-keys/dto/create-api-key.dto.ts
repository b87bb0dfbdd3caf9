import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEnum } from 'class-validator';
import { ApiKeyScope } from '../../generated/prisma/enums.js';
import { TrimmedText } from '../../common/text.js';

export class CreateApiKeyDto {
  /** Who or what uses the key, e.g. "dashboard ingest". */
  @ApiProperty({ example: 'newsroom dashboard' })
  @TrimmedText(100)
  name: string;

  /** `read_confidence`: the confidence feed only; `read_all`: every read. */
  @ApiProperty({ enum: ApiKeyScope, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsEnum(ApiKeyScope, { each: true })
  scopes: ApiKeyScope[];
}
