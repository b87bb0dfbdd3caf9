import { HttpException, HttpStatus } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** One bad field in a request, as listed in a problem's `errors`. */
export interface FieldError {
  field: string;
  messages: string[];
}

/**
 * An HTTP error whose extra members (such as the current version after a conflict)
 * are copied into the problem+json body next to `detail`.
 */
export class Problem extends HttpException {
  constructor(status: HttpStatus, detail: string, readonly extensions: Record<string, unknown> = {}) {
    super(detail, status);
  }
}

export class ValidationProblem extends Problem {
  constructor(readonly errors: FieldError[]) {
    super(HttpStatus.BAD_REQUEST, `Invalid request: ${errors.map((e) => e.field).join(', ')}`, { errors });
  }
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** 422: the request is well-formed but a field refers to something that does not fit. */
export function unprocessable(field: string, message: string): Problem {
  return unprocessableFields([{ field, messages: [message] }]);
}

/** 422 naming every field at fault. */
export function unprocessableFields(errors: FieldError[]): Problem {
  return new Problem(HttpStatus.UNPROCESSABLE_ENTITY, errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join('. '), { errors });
}

/** 409 with members that help the caller resolve it (e.g. the existing record's id). */
export function conflict(detail: string, extensions: Record<string, unknown> = {}): Problem {
  return new Problem(HttpStatus.CONFLICT, detail, extensions);
}

/** 409: a claim that is archived takes no new evidence, appearances or assessments. */
export const archivedClaim = (claimId: string) => conflict(`Claim ${claimId} is archived.`);
