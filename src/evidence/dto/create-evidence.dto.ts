import { INFORMATION_CREDIBILITY_DOC } from '../../vocabulary/admiralty.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { QuoteSelectorInput, SelectorDto } from '../../sources/dto/quote-selector.dto.js';
import { Stance } from '../../generated/prisma/enums.js';
import { TrimmedText } from '../../common/text.js';
import { MAX_QUOTE } from '../../claims/dto/create-claim.dto.js';

export const DIAGNOSTICITY_DOC =
  'Likelihood ratio in the direction of the stance (1 to 1000): how many times more likely this evidence is if its stance holds than if it does not. 1 = not diagnostic.';

export class CreateEvidenceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sourceId: string;

  @ApiProperty({ enum: Stance })
  @IsEnum(Stance)
  stance: Stance;

  /** The exact words in the source; must occur verbatim in its full text when stored. */
  @ApiProperty({ maxLength: MAX_QUOTE })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_QUOTE)
  quote: string;

  @ApiProperty({ minimum: 1, maximum: 6, description: INFORMATION_CREDIBILITY_DOC })
  @IsInt()
  @Min(1)
  @Max(6)
  credibility: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1, description: DIAGNOSTICITY_DOC })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(1000)
  diagnosticity?: number;

  /** When the reported event or statement was observed (ISO 8601). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  observedAt?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @TrimmedText(5000, 0)
  notes?: string;

  /**
   * Who the text says the information comes from (an originator from /originators; a merged one
   * is recorded as its survivor). Items attributed to one originator count as one origin.
   * POST /claims/:claimId/evidence/attributions also removes attributions.
   */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  originatorId?: string;

  @QuoteSelectorInput()
  selector?: SelectorDto;
}
