import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, isUUID, Matches, Max, Min } from 'class-validator';
import { ValidationProblem } from './problem.js';

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

  /** `nextCursor` of the previous page (with the same `sort`). */
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[\w-]{1,400}$/, { message: 'cursor must be a nextCursor value' })
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

/** How a list is ordered: by `field`, then by id, in one direction. Without a field, by id alone. */
export interface KeysetOrder {
  field?: string;
  direction: 'asc' | 'desc';
  /** The field can be null; nulls sort last in either direction. */
  nullable?: boolean;
}

export const BY_ID: KeysetOrder = { direction: 'asc' };

/** A `sort` parameter (a leading "-" sorts descending) as a keyset order; `field` renames the field sorted by. */
export function sortOrder(sort: string, { field = sort.replace(/^-/, ''), nullable = false } = {}): KeysetOrder {
  return { field, direction: sort.startsWith('-') ? 'desc' : 'asc', nullable };
}

/** Prisma's orderBy for a keyset order. */
export function orderByKeyset(order: KeysetOrder): Record<string, unknown>[] {
  const byId = { id: order.direction };
  if (!order.field) return [byId];
  return [{ [order.field]: order.nullable ? { sort: order.direction, nulls: 'last' } : order.direction }, byId];
}

type SortValue = string | number | Date | null;

const invalidCursor = (message = 'cursor must be a nextCursor value of this list') => new ValidationProblem([{ field: 'cursor', messages: [message] }]);

/**
 * The cursor after a row: its position in the order (sort value and id), not a
 * reference to it, so a page still continues where it left off when that row has
 * been deleted since. Opaque to clients: base64url JSON.
 */
export function cursorAfter(order: KeysetOrder, id: string, value?: SortValue): string {
  const position = order.field ? [id, order.field, value instanceof Date ? { at: value.toISOString() } : (value ?? null)] : [id];
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * A cursor's position in `order`: the id and sort value of the row it follows. Garbage, a cursor of another
 * order, or a sort value that `fits` refuses is a 400.
 */
export function readCursor(cursor: string, order: KeysetOrder, fits: (value: SortValue) => boolean = () => true): { id: string; value: SortValue } {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(position) || typeof position[0] !== 'string' || !isUUID(position[0])) throw invalidCursor();
  const [id, field, value] = position as [string, unknown, unknown];
  if (position.length !== (order.field ? 3 : 1) || field !== order.field) throw invalidCursor('cursor belongs to another list or sort order; start again without it');
  const sortValue = order.field ? toSortValue(value) : null;
  if (order.field && !fits(sortValue)) throw invalidCursor();
  return { id, value: sortValue };
}

/** The SQL types of the columns lists sort by. */
export type SortColumnType = 'timestamptz' | 'float8' | 'int';

/**
 * Whether a cursor's sort value can be bound as a parameter of a column of this SQL type (null only for a
 * column that can be null), for `readCursor`: a made-up cursor is then a 400, not the database's error.
 */
export function fitsColumn(type: SortColumnType, nullable: boolean): (value: SortValue) => boolean {
  return (value) => {
    if (value === null) return nullable;
    if (type === 'timestamptz') return value instanceof Date && value.getUTCFullYear() >= 1 && value.getUTCFullYear() <= 9999;
    return typeof value === 'number' && (type === 'float8' || (Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1));
  };
}

/** The Prisma filter for the rows after `cursor` in `order` (none without a cursor). */
export function rowsAfter(cursor: string | undefined, order: KeysetOrder): Record<string, unknown> {
  if (cursor === undefined) return {};
  const { id, value } = readCursor(cursor, order);
  const after = order.direction === 'asc' ? 'gt' : 'lt';
  if (!order.field) return { id: { [after]: id } };
  const past = [{ [order.field]: { [after]: value } }, { [order.field]: value, id: { [after]: id } }];
  if (!order.nullable) return { OR: past };
  // Nulls sort last in either direction: after a null come only nulls, after a value come the nulls too.
  return value === null ? { [order.field]: null, id: { [after]: id } } : { OR: [...past, { [order.field]: null }] };
}

function toSortValue(raw: unknown): SortValue {
  if (raw === null || typeof raw === 'string' || (typeof raw === 'number' && Number.isFinite(raw))) return raw;
  const at = (raw as { at?: unknown } | undefined)?.at;
  if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) return new Date(at);
  throw invalidCursor();
}
