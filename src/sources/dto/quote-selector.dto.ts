import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { CONTEXT } from '../text-anchor.js';

/**
 * Which passage a quote is, when its exact text occurs more than once in the source: the text
 * just before it, just after it, or its position (W3C Web Annotation TextQuoteSelector prefix and
 * suffix, TextPositionSelector start and end, in Unicode code points).
 */
export class SelectorDto {
  @ApiPropertyOptional({ description: 'Text immediately before the quote.', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  prefix?: string;

  @ApiPropertyOptional({ description: 'Text immediately after the quote.', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  suffix?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Where the quote starts in the source text (code points from 0).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  start?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Where it ends (exclusive): start plus its length.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  end?: number;
}

/** The optional `selector` of a quoted record's input (evidence, appearances). */
export const QuoteSelectorInput = () =>
  applyDecorators(
    ApiPropertyOptional({ type: SelectorDto, description: "Which passage, when the quote's exact text occurs more than once in the source (W3C selectors)." }),
    IsOptional(),
    ValidateNested(),
    Type(() => SelectorDto),
  );

export class TextQuoteSelector {
  @ApiProperty({ enum: ['TextQuoteSelector'] })
  type: 'TextQuoteSelector';
  @ApiProperty()
  exact: string;
  @ApiProperty({ description: `Up to ${CONTEXT} characters before the quote.` })
  prefix: string;
  @ApiProperty({ description: `Up to ${CONTEXT} characters after the quote.` })
  suffix: string;
}

export class TextPositionSelector {
  @ApiProperty({ enum: ['TextPositionSelector'] })
  type: 'TextPositionSelector';
  @ApiProperty({ description: 'Code points from the start of the source text.' })
  start: number;
  @ApiProperty({ description: 'Exclusive.' })
  end: number;
}

/** The columns an anchored quote keeps (all null while its source has no text). */
export interface QuoteAnchorColumns {
  quote: string;
  quotePrefix: string | null;
  quoteSuffix: string | null;
  quoteStart: number | null;
  quoteEnd: number | null;
  quoteDriftedAt: Date | null;
}

/** A quote's selectors as the W3C Web Annotation model writes them; empty while its source keeps no text. */
export function quoteSelectors(row: QuoteAnchorColumns): (TextQuoteSelector | TextPositionSelector)[] {
  if (row.quoteStart === null || row.quoteEnd === null) return [];
  return [
    { type: 'TextQuoteSelector', exact: row.quote, prefix: row.quotePrefix ?? '', suffix: row.quoteSuffix ?? '' },
    { type: 'TextPositionSelector', start: row.quoteStart, end: row.quoteEnd },
  ];
}

/** The same selectors in SQL, for a quoted row aliased `row`, for reads that build answers in the database. */
export const quoteSelectorsSql = (row: string) => `CASE WHEN ${row}.quote_start IS NULL THEN '[]'::json ELSE json_build_array(
    json_build_object('type', 'TextQuoteSelector', 'exact', ${row}.quote, 'prefix', coalesce(${row}.quote_prefix, ''), 'suffix', coalesce(${row}.quote_suffix, '')),
    json_build_object('type', 'TextPositionSelector', 'start', ${row}.quote_start, 'end', ${row}.quote_end)) END`;

/** The `selectors` property of a quoted record's response (with @ApiExtraModels(TextQuoteSelector, TextPositionSelector) on its class). */
export const SELECTORS_PROPERTY = {
  description: "Where the quote sits in its source's text (W3C Web Annotation selectors); empty while the source keeps no text.",
  type: 'array' as const,
  items: { oneOf: [{ $ref: getSchemaPath(TextQuoteSelector) }, { $ref: getSchemaPath(TextPositionSelector) }] },
};

/** A quote taken from a source, where it sits, and what it is for. */
export class SourceQuoteResponse {
  @ApiProperty({ enum: ['appearance', 'evidence'] })
  kind: 'appearance' | 'evidence';
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty()
  statement: string;
  @ApiProperty({ type: String, nullable: true, enum: ['supports', 'contradicts', 'context'], description: 'For evidence.' })
  stance: string | null;
  @ApiProperty()
  quote: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Code points; null while the source kept no text.' })
  start: number | null;
  @ApiProperty({ type: Number, nullable: true })
  end: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Its context when it was last placed.' })
  quotePrefix: string | null;
  @ApiProperty({ type: String, nullable: true })
  quoteSuffix: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "When the source's text changed and the quote could not be placed again unambiguously." })
  driftedAt: Date | null;
}
