import { HttpStatus } from '@nestjs/common';
import { Problem } from './problem.js';

/** 422: the request is well-formed but a field refers to something that does not fit. */
export function unprocessable(field: string, message: string): Problem {
  return new Problem(HttpStatus.UNPROCESSABLE_ENTITY, `${field}: ${message}`, { errors: [{ field, messages: [message] }] });
}

/** 409 with members that help the caller resolve it (e.g. the existing record's id). */
export function conflict(detail: string, extensions: Record<string, unknown> = {}): Problem {
  return new Problem(HttpStatus.CONFLICT, detail, extensions);
}
