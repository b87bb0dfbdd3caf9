import type { ArgumentMetadata } from '@nestjs/common';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ServiceValidationPipe } from './validation.pipe.js';
import { ValidationProblem } from './problem.js';

class SearchQuery {
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  q?: string;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: string = 'asc';
}

class OtherQuery {
  @IsOptional()
  @IsString()
  q?: string;
}

const asQuery = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype, data: undefined });

describe('ServiceValidationPipe', () => {
  it('gives an equal, frozen DTO for a query string it has validated before, with defaults applied', async () => {
    const pipe = new ServiceValidationPipe();
    const first = await pipe.transform({ q: 'arms' }, asQuery(SearchQuery));
    const again = await pipe.transform({ q: 'arms' }, asQuery(SearchQuery));
    expect(first).toBeInstanceOf(SearchQuery);
    expect(again).toEqual({ q: 'arms', order: 'asc' });
    expect(Object.isFrozen(again)).toBe(true);
    // Modules are strict: writing to a frozen object throws.
    expect(() => ((again as SearchQuery).order = 'desc')).toThrow(TypeError);
  });

  it('refuses a bad query every time it is asked, and keeps each DTO apart', async () => {
    const pipe = new ServiceValidationPipe();
    for (let i = 0; i < 2; i++) await expect(pipe.transform({ order: 'sideways' }, asQuery(SearchQuery))).rejects.toBeInstanceOf(ValidationProblem);
    for (let i = 0; i < 2; i++) await expect(pipe.transform({ q: 'x', extra: '1' }, asQuery(SearchQuery))).rejects.toBeInstanceOf(ValidationProblem);
    await pipe.transform({ q: 'arms' }, asQuery(SearchQuery));
    expect(await pipe.transform({ q: 'arms' }, asQuery(OtherQuery))).toBeInstanceOf(OtherQuery);
  });

  it('validates long query strings every time without remembering them', async () => {
    const pipe = new ServiceValidationPipe();
    const long = { q: 'a'.repeat(1_500) };
    const validated = await pipe.transform(long, asQuery(SearchQuery));
    expect(validated).toEqual({ ...long, order: 'asc' });
    expect(Object.isFrozen(validated)).toBe(false);
  });

  it('leaves bodies to be validated every time, unfrozen', async () => {
    const pipe = new ServiceValidationPipe();
    const body = await pipe.transform({ q: 'arms' }, { type: 'body', metatype: SearchQuery, data: undefined });
    expect(body).toBeInstanceOf(SearchQuery);
    expect(Object.isFrozen(body)).toBe(false);
  });
});
