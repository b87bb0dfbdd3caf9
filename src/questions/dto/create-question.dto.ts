import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';
import { TrimmedText } from '../../common/text.js';

export class CreateQuestionDto {
  @ApiProperty({ example: 'What military support is China giving Russia?' })
  @TrimmedText(500)
  title: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @TrimmedText(10000, 0)
  description?: string;

  /** The competing hypotheses: mutually exclusive claims, in display order. */
  @ApiProperty({ type: [String], format: 'uuid', minItems: 2, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  hypothesisIds: string[];
}
