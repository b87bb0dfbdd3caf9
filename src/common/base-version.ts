import { HttpStatus } from '@nestjs/common';
import { Problem, ValidationProblem } from './problem.js';

/**
 * The version a write revises, from the body (`baseVersion`) or If-Match: one is required
 * (428, saying `how` to name it), and when both are given they must agree.
 */
export function revisedVersion(fromBody: number | undefined, fromIfMatch: number | undefined, how: string): number {
  if (fromBody !== undefined && fromIfMatch !== undefined && fromBody !== fromIfMatch) {
    throw new ValidationProblem([{ field: 'baseVersion', messages: ['baseVersion and If-Match name different versions'] }]);
  }
  const base = fromBody ?? fromIfMatch;
  if (base === undefined) {
    throw new Problem(HttpStatus.PRECONDITION_REQUIRED, how, { errors: [{ field: 'baseVersion', messages: ['baseVersion (or If-Match) is required'] }] });
  }
  return base;
}
