import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { ClaimFilterDto } from '../../claims/dto/claim-query.dto.js';
import { PageQueryDto } from '../../common/pagination.js';
import { FEED_CURSOR } from '../feed-cursor.js';

const FEED_INCLUDES = /^(estimates|evidence)(,(estimates|evidence))?$/;

export class ConfidenceQueryDto extends IntersectionType(PageQueryDto, ClaimFilterDto) {}

export class ChangesQueryDto {
  /** `nextCursor` (or an item's `cursor`) from the previous poll; omit to start at the beginning. */
  @ApiPropertyOptional({ example: '1042.17' })
  @IsOptional()
  @Matches(FEED_CURSOR, { message: 'since must be a cursor from this feed' })
  since?: string;

  /**
   * Also list new estimate versions (`estimates`) and new evidence weights (`evidence`), comma-separated;
   * without it the feed carries assessments only, as it always has.
   */
  @ApiPropertyOptional({ example: 'estimates,evidence', pattern: FEED_INCLUDES.source })
  @IsOptional()
  @Matches(FEED_INCLUDES, { message: 'include must list estimates and/or evidence, comma-separated' })
  include?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}

export class StreamQueryDto {
  /** Start after this cursor; by default only changes made after connecting. `Last-Event-ID` overrides it on reconnects. */
  @ApiPropertyOptional({ example: '1042.17' })
  @IsOptional()
  @Matches(FEED_CURSOR, { message: 'since must be a cursor from this feed' })
  since?: string;

  /** Only changes of these claims (comma-separated ids). With topic or entity, a claim must meet each that is set. */
  @ApiPropertyOptional({ type: String, example: '6f1c…,9a2e…' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((id) => id.trim()) : value))
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'claimIds must be claim ids (UUIDs) separated by commas' })
  claimIds?: string[];

  /** Only changes of claims with this topic. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  topic?: string;

  /** Only changes of claims naming this entity. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entity?: string;

  /** A stream token from POST /confidence/stream-tokens, for clients that cannot send headers (a browser's EventSource). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  token?: string;
}
