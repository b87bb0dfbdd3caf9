import { Injectable, ValidationPipe, type ArgumentMetadata, type Type } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { flattenValidationErrors, ValidationProblem } from './problem.js';

/** Longer query strings are validated every time, so that remembered ones stay small. */
const REMEMBERED_QUERY_LENGTH = 1_000;

/**
 * The service's one validation: class-validator through Nest's ValidationPipe (unknown fields refused,
 * values converted), problems as 400 problem+json. A query DTO's result is remembered for each distinct
 * query string, because API clients ask the same ones again and again (the feed, a claim's evidence with its
 * filters) and validating one cost a seventh of a claim's evidence search (docs/performance.md). A
 * remembered DTO is frozen, so no handler can change what the next request is given; refused queries
 * are not remembered.
 */
@Injectable()
export class ServiceValidationPipe extends ValidationPipe {
  private readonly queries = new WeakMap<Type, LRUCache<string, object>>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype;
    // A whole query object (`@Query()`); one named parameter (`@Query('asOf')`) is a string.
    if (metadata.type !== 'query' || metadata.data !== undefined || !dto || typeof value !== 'object' || value === null) return super.transform(value, metadata);
    const key = JSON.stringify(value);
    if (key.length > REMEMBERED_QUERY_LENGTH) return super.transform(value, metadata);
    let remembered = this.queries.get(dto);
    if (!remembered) this.queries.set(dto, (remembered = new LRUCache({ max: 1_000 })));
    const known = remembered.get(key);
    if (known) return known;
    const validated = (await super.transform(value, metadata)) as object;
    remembered.set(key, deepFreeze(validated));
    return validated;
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const item of Object.values(value)) if (typeof item === 'object' && item !== null) deepFreeze(item);
  return Object.freeze(value);
}
