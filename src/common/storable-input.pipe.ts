import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidationProblem, type FieldError } from './problem.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses, before validation, what the database would alter or reject: null
 * (fields are omitted, not nulled), NUL characters and lone UTF-16 surrogates
 * in any string. So whatever is accepted is stored, and read back, verbatim.
 */
@Injectable()
export class StorableInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const errors: FieldError[] = [];
    walk(value, '', errors);
    if (errors.length > 0) throw new ValidationProblem(errors);
    return value;
  }
}

function walk(value: unknown, path: string, errors: FieldError[]): void {
  const field = path || 'body';
  if (value === null) {
    if (path) errors.push({ field, messages: [`${field} must not be null; leave it out instead`] });
  } else if (typeof value === 'string') {
    if (value.includes('\u0000')) errors.push({ field, messages: [`${field} must not contain NUL characters`] });
    else if (LONE_SURROGATE.test(value)) errors.push({ field, messages: [`${field} must be valid Unicode text`] });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, errors));
  } else if (typeof value === 'object' && value !== undefined) {
    for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key, errors);
  }
}
