import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Query, type PipeTransform } from '@nestjs/common';
import { IsBoolean, IsISO8601, isISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ValidationProblem } from './problem.js';
import { PageQueryDto } from './pagination.js';

/** "true" / "false" in a query string; anything else is left for IsBoolean to refuse. */
export const BooleanQuery = () =>
  Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

/** Search and change filters shared by the lists of sources, claims and evidence. */
export class SearchFilterDto {
  /** Full-text search (PostgreSQL websearch syntax: words, "phrases", -exclusions, or). */
  @ApiPropertyOptional({ example: 'arms supplies -drones' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  q?: string;

  /** Only records changed at or after this time (ISO 8601). */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;

  /** Include archived records. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  includeArchived = false;
}

export class ListQueryDto extends IntersectionType(PageQueryDto, SearchFilterDto) {}

/** `?asOf=`: what was in force at that moment. */
export class AsOfQueryDto {
  /** Show the state in force at this time (ISO 8601) instead of the current one. */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

class AsOfPipe implements PipeTransform<unknown, Date | undefined> {
  transform(value: unknown): Date | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !isISO8601(value, { strict: true })) {
      throw new ValidationProblem([{ field: 'asOf', messages: ['asOf must be a valid ISO 8601 date string'] }]);
    }
    return new Date(value);
  }
}

/**
 * `?asOf=` alone, as a Date: for a hot route, where validating a query DTO on every
 * request costs more than the answer (one claim's confidence, served from memory).
 */
export const AsOfParam = () => Query('asOf', new AsOfPipe());

/** `?hard=true` on deletes. */
export class DeleteQueryDto {
  /** Erase instead of archiving; refused with 409 while anything refers to the record. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  hard = false;
}

export const toDate = (value: string | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));
