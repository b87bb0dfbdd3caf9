import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  Max,
  Min,
  IsString,
  IsISO8601,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ClaimStatus } from '../../generated/prisma/enums.js';
import { TrimmedText } from '../../common/text.js';
import { QuoteSelectorInput, SelectorDto } from '../../sources/dto/quote-selector.dto.js';

export const MAX_QUOTE = 5000;
export const OPEN_STATUSES: ClaimStatus[] = ['open', 'supported', 'disputed', 'refuted'];

/** A claim with one of the other statuses (resolved true or false, or annulled) takes no new versions: the same rule in SQL. */
export const closedStatusSql = (status: string) => `${status} NOT IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Trimmed, de-duplicated labels; topics also lower-cased so filters match regardless of case. */
const Labels = (lowerCase: boolean) =>
  Transform(({ value }) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string')
      ? [...new Set(value.map((item: string) => (lowerCase ? item.trim().toLowerCase() : item.trim())))]
      : value,
  );

export class AppearanceInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sourceId: string;

  /** The exact words in the source; must occur verbatim in its full text when stored. */
  @ApiProperty({ maxLength: MAX_QUOTE })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_QUOTE)
  quote: string;

  /** Who the text says the claim comes from (an originator from /originators). */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  originatorId?: string;

  @QuoteSelectorInput()
  selector?: SelectorDto;
}

export class CreateClaimDto {
  /** The claim in one sentence. Duplicates (ignoring case, punctuation and spacing) are refused. */
  @ApiProperty({ example: 'China is supplying arms to Russia', maxLength: 1000 })
  @TrimmedText(1000, 3)
  statement: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @TrimmedText(10000, 0)
  description?: string;

  @ApiPropertyOptional({ type: [String], example: ['arms', 'ukraine-war'] })
  @IsOptional()
  @Labels(true)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(64, { each: true })
  topics?: string[];

  /** Countries, organisations and people the claim is about. */
  @ApiPropertyOptional({ type: [String], example: ['China', 'Russia'] })
  @IsOptional()
  @Labels(false)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  entities?: string[];

  /** Where the evidence-weighted probability starts (0.5 when not set). */
  @ApiPropertyOptional({ minimum: 0.001, maximum: 0.999, example: 0.3 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(0.999)
  priorProbability?: number;

  /** When the judgement should be looked at again (null clears it): past it, the claim is due for review (`reviewDue=true`), announced once to alert rules. */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, example: '2026-12-31T17:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'reviewBy must be an ISO 8601 date-time' })
  reviewBy?: string | null;

  /** Blind first: analysts see colleagues' estimates only after recording their own (see the README's team judgement). */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  blind?: boolean;

  /** The resolved statuses are set by PUT /claims/:id/resolution, with a date and a source. */
  @ApiPropertyOptional({ enum: OPEN_STATUSES, default: ClaimStatus.open })
  @IsOptional()
  @IsIn(OPEN_STATUSES, { message: `status must be one of ${OPEN_STATUSES.join(', ')}; resolve a claim with PUT /claims/:id/resolution` })
  status?: ClaimStatus;

  /** Where the claim is made or reported. */
  @ApiPropertyOptional({ type: [AppearanceInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AppearanceInputDto)
  appearances?: AppearanceInputDto[];
}
