import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ListQueryDto } from '../../common/query.js';
import { TrimmedText } from '../../common/text.js';
import { OriginatorKind, Reliability } from '../../generated/prisma/enums.js';
import { SOURCE_RELIABILITY_DOC } from '../../vocabulary/admiralty.js';

export const ORIGINATOR_GRADE_DOC =
  `${SOURCE_RELIABILITY_DOC} When set, it weighs the evidence attributed to the originator instead of the grade of the source that carried it.`;

export class CreateOriginatorDto {
  /** As analysts will see it, e.g. "Kremlin spokesman Dmitry Peskov". */
  @ApiProperty({ maxLength: 200 })
  @TrimmedText(200)
  name: string;

  @ApiProperty({ enum: OriginatorKind })
  @IsEnum(OriginatorKind)
  kind: OriginatorKind;

  /** Other spellings the texts use ("Peskov", "Dmitri Peskov"); case, accents' forms and punctuation are ignored when matching. */
  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Transform(({ value }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value))
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ enum: Reliability, description: ORIGINATOR_GRADE_DOC })
  @IsOptional()
  @IsEnum(Reliability)
  reliability?: Reliability;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @TrimmedText(5000, 0)
  reliabilityNotes?: string;
}

/** Changes what is given; `aliases` replaces the whole list. DELETE /originators/:id/reliability removes its own grade. */
export class UpdateOriginatorDto extends PartialType(CreateOriginatorDto) {}

export class MergeOriginatorDto {
  /** The originator that stays; this one's names and attributions become its. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  intoId: string;

  /** The survivor's grade, when the two have different ones (required then). */
  @ApiPropertyOptional({ enum: Reliability })
  @IsOptional()
  @IsEnum(Reliability)
  reliability?: Reliability;
}

export const ORIGINATOR_SORTS = ['name', '-updatedAt', 'updatedAt'] as const;

export class OriginatorQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: OriginatorKind })
  @IsOptional()
  @IsEnum(OriginatorKind)
  kind?: OriginatorKind;

  @ApiPropertyOptional({ enum: ORIGINATOR_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(ORIGINATOR_SORTS)
  sort: (typeof ORIGINATOR_SORTS)[number] = 'name';
}

export class OriginatorResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: OriginatorKind })
  kind: OriginatorKind;
  @ApiProperty({ type: [String] })
  aliases: string[];
  @ApiProperty({ enum: Reliability, nullable: true, description: ORIGINATOR_GRADE_DOC })
  reliability: Reliability | null;
  @ApiProperty({ type: String, nullable: true })
  reliabilityNotes: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Set once merged: the originator it became part of.' })
  mergedIntoId: string | null;
  @ApiProperty({ type: Date, nullable: true })
  mergedAt: Date | null;
  @ApiProperty({ format: 'uuid' })
  createdById: string;
  @ApiProperty()
  createdAt: Date;
  @ApiProperty()
  updatedAt: Date;
}
