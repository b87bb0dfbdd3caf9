import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidationProblem, type FieldError } from './problem.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses, before validation, what the database would alter or reject: null
 * (fields are omitted, not nulled), NUL characters and lone UTF-16 surrogates
 * in any string. So whatever is accepted is stored, and read back, verbatim.
 *
 * Text is stored in Unicode normal form C (composed, as keyboards and most web
 * pages produce it): an "é" typed as e + combining accent (NFD, as macOS file names
 * and some PDFs give it) is the same text, and a quote must match its source either way.
 */
@Injectable()
export class StorableInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const errors: FieldError[] = [];
    const storable = walk(value, '', errors);
    if (errors.length > 0) throw new ValidationProblem(errors);
    return storable;
  }
}

/** The value with every string in normal form C; problems are added to `errors`. */
function walk(value: unknown, path: string, errors: FieldError[]): unknown {
  const field = path || 'body';
  if (value === null) {
    if (path) errors.push({ field, messages: [`${field} must not be null; leave it out instead`] });
  } else if (typeof value === 'string') {
    if (value.includes('\u0000')) errors.push({ field, messages: [`${field} must not contain NUL characters`] });
    else if (LONE_SURROGATE.test(value)) errors.push({ field, messages: [`${field} must be valid Unicode text`] });
    else return value.normalize('NFC');
  } else if (Array.isArray(value)) {
    return value.map((item, index) => walk(item, `${path}[${index}]`, errors));
  } else if (typeof value === 'object' && value !== undefined) {
    const object = value as Record<string, unknown>;
    for (const [key, item] of Object.entries(object)) object[key] = walk(item, path ? `${path}.${key}` : key, errors);
  }
  return value;
}
