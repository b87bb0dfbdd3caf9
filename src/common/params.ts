import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidationProblem } from './problem.js';

/** A path parameter that must be a UUID; otherwise a 400 naming it. */
export const UuidParam = (name: string) =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => new ValidationProblem([{ field: name, messages: [`${name} must be a UUID`] }]),
    }),
  );
