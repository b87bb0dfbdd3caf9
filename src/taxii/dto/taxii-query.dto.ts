import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** The most objects one page holds (a larger `limit` is refused). */
export const TAXII_PAGE_MAX = 1000;

/** An RFC 3339 timestamp in UTC, as TAXII writes them (fractions to the microsecond). */
export const TAXII_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const STIX_ID = /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VERSION = /^(first|last|all|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z)$/;

/** A TAXII filter: comma-separated values (the parameter may also be repeated), at most `max`, each matching `pattern`. */
const MatchFilter = (max: number, pattern: RegExp, message: string) =>
  applyDecorators(
    IsOptional(),
    Transform(({ value }) => (Array.isArray(value) ? value : [value]).flatMap((v: unknown) => (typeof v === 'string' ? v.split(',') : [v]))),
    IsArray(),
    ArrayMaxSize(max),
    Matches(pattern, { each: true, message }),
  );

/** The filters and paging of the objects and manifest endpoints (TAXII 2.1 §3.4–3.5). */
export class TaxiiObjectsQueryDto {
  /** Only versions added after this time (RFC 3339, UTC): the `date_added` of the last one a client has. */
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-27T10:00:00.000000Z' })
  @IsOptional()
  @IsString()
  @Matches(TAXII_TIMESTAMP, { message: 'added_after must be an RFC 3339 timestamp in UTC, such as 2026-11-27T10:00:00.000Z' })
  added_after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: TAXII_PAGE_MAX, default: TAXII_PAGE_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(TAXII_PAGE_MAX)
  limit: number = TAXII_PAGE_MAX;

  /** The `next` of the previous page (with the same filters). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  next?: string;

  /** STIX ids, comma-separated. */
  @ApiPropertyOptional({ name: 'match[id]', type: String, example: 'grouping--9b8b7d5e-3c1a-5f7e-8a2b-1c3d4e5f6a7b' })
  @MatchFilter(100, STIX_ID, 'match[id] must be STIX identifiers (type--UUID)')
  'match[id]'?: string[];

  /** STIX object types, comma-separated (grouping, note, opinion, report, identity). */
  @ApiPropertyOptional({ name: 'match[type]', type: String, example: 'grouping,opinion' })
  @MatchFilter(20, /^[a-z0-9-]{1,250}$/, 'match[type] must be STIX object types')
  'match[type]'?: string[];

  /** `last` (the default), `first`, `all`, or `modified` times, comma-separated. */
  @ApiPropertyOptional({ name: 'match[version]', type: String, default: 'last' })
  @MatchFilter(100, VERSION, 'match[version] must be first, last, all or RFC 3339 timestamps')
  'match[version]'?: string[];

  /** STIX versions, comma-separated: every object here is 2.1. */
  @ApiPropertyOptional({ name: 'match[spec_version]', type: String, example: '2.1' })
  @MatchFilter(10, /^\d\.\d$/, 'match[spec_version] must be STIX versions such as 2.1')
  'match[spec_version]'?: string[];
}

/** One object's versions: the same filters, but for the object's id and type. */
export class TaxiiObjectQueryDto extends PickType(TaxiiObjectsQueryDto, ['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]'] as const) {}

/** The versions list: paging and the STIX version. */
export class TaxiiVersionsQueryDto extends PickType(TaxiiObjectsQueryDto, ['added_after', 'limit', 'next', 'match[spec_version]'] as const) {}
