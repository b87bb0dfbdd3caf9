import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** `limit` and `cursor`, shared by every list endpoint. */
export class PageQueryDto {
  /** Items per page. */
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  /** `nextCursor` of the previous page. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'cursor must be a nextCursor value' })
  cursor?: string;
}

/** The one list shape: `{ items, total, nextCursor }`. */
export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says whether more exist. */
export function toPage<Row, Item>(
  rows: Row[],
  total: number,
  limit: number,
  cursorOf: (row: Row) => string,
  map: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: pageRows.map(map),
    total,
    nextCursor: hasMore ? cursorOf(pageRows[pageRows.length - 1]) : null,
  };
}

/** OpenAPI schema for a page of `item`. */
export function pageSchema(item: Function) {
  class PageDto {
    @ApiProperty({ type: item, isArray: true })
    items: unknown[];
    @ApiProperty({ description: 'Items matching the filters, over all pages.' })
    total: number;
    @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last.' })
    nextCursor: string | null;
  }
  Object.defineProperty(PageDto, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  return PageDto;
}
