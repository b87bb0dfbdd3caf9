import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** Trims surrounding white space from a string field; leaves other types for the validators to refuse. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** A string field, trimmed, of `min` to `max` characters. */
export const TrimmedText = (max: number, min = 1) => applyDecorators(Trim(), IsString(), MinLength(min), MaxLength(max));

/**
 * Folds a statement for duplicate detection: Unicode-normalised and case-folded,
 * with punctuation, symbols and white space dropped.
 */
export function foldStatement(statement: string): string {
  return statement
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{Z}\s]+/gu, '');
}
