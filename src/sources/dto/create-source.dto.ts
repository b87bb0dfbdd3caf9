import { SOURCE_RELIABILITY_DOC } from '../../vocabulary/admiralty.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { Reliability, SourceKind } from '../../generated/prisma/enums.js';
import { TrimmedText } from '../../common/text.js';

export const MAX_FULL_TEXT = 1_000_000;

export class CreateSourceDto {
  @ApiProperty({ example: 'Xi and Putin meet in Samarkand' })
  @TrimmedText(500)
  title: string;

  @ApiProperty({ enum: SourceKind })
  @IsEnum(SourceKind)
  kind: SourceKind;

  /** Publisher, only as far as the source itself shows it. */
  @ApiPropertyOptional()
  @IsOptional()
  @TrimmedText(200)
  outlet?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @TrimmedText(200)
  author?: string;

  /** http(s) URL; stored normalised (no fragment or tracking parameters) and unique. */
  @ApiPropertyOptional({ example: 'https://example.org/news/123' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url?: string;

  /** Publication date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD (sets `datePrecision`). */
  @ApiPropertyOptional({ example: '2023-03' })
  @IsOptional()
  @Matches(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, { message: 'publishedOn must be YYYY, YYYY-MM or YYYY-MM-DD' })
  publishedOn?: string;

  /** True when the date was inferred (e.g. from the events described) rather than printed. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  dateInferred?: boolean;

  /** BCP 47 language tag, e.g. "en" or "pt-BR". */
  @ApiPropertyOptional({ example: 'en' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language must be a BCP 47 tag such as "en"' })
  language?: string;

  /** The source's full text; when present, every quote from this source must occur in it verbatim. */
  @ApiPropertyOptional({ maxLength: MAX_FULL_TEXT })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_FULL_TEXT)
  fullText?: string;

  @ApiPropertyOptional({ enum: Reliability, default: Reliability.F, description: SOURCE_RELIABILITY_DOC })
  @IsOptional()
  @IsEnum(Reliability)
  reliability?: Reliability;

  /** Why the source got its grade. */
  @ApiPropertyOptional()
  @IsOptional()
  @TrimmedText(5000, 0)
  reliabilityNotes?: string;
}
