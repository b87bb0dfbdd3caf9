import { Transform } from 'class-transformer';

/** Trims surrounding white space from a string field; leaves other types for the validators to refuse. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

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
