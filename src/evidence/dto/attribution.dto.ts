import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { OriginatorKind, SuggestionStatus } from '../../generated/prisma/enums.js';
import { SuggestionState } from '../../provenance/dto/suggestion.dto.js';

export class AttributionDto {
  @ApiProperty({ format: 'uuid', description: "One of the claim's evidence items." })
  @IsUUID()
  evidenceId: string;

  /** The originator the text attributes it to; left out, the item's attribution is removed. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  originatorId?: string;
}

export class AttributionsDto {
  @ApiProperty({ type: [AttributionDto], minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AttributionDto)
  attributions: AttributionDto[];
}

export class AttributionSuggestionQueryDto {
  @ApiPropertyOptional({ enum: SuggestionStatus, default: 'open' })
  @IsOptional()
  @IsEnum(SuggestionStatus)
  status: SuggestionStatus = 'open';
}

export class ConfirmAttributionDto {
  /** Attribute to this originator instead of the one suggested. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  originatorId?: string;

  /** When the suggested name is not yet an originator: it is recorded, of this kind (required then). */
  @ApiPropertyOptional({ enum: OriginatorKind })
  @IsOptional()
  @IsEnum(OriginatorKind)
  kind?: OriginatorKind;
}

export class AttributionSuggestionResponse extends SuggestionState {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  evidenceId: string;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The known originator the words name; null when none does yet.' })
  originatorId: string | null;
  @ApiProperty({ description: "The originator's name, or the name as the text gives it." })
  name: string;
  @ApiProperty({ example: 'according to US intelligence officials', description: 'The words that attribute it.' })
  phrase: string;
}
