import { SOURCE_RELIABILITY_DOC } from '../../vocabulary/admiralty.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DatePrecision, Reliability, SourceKind } from '../../generated/prisma/enums.js';
import type { Source } from '../../generated/prisma/client.js';
import { RecordStamps, recordStamps } from '../../common/record-stamps.js';

export class SourceResponse extends RecordStamps {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  title: string;
  @ApiProperty({ enum: SourceKind })
  kind: SourceKind;
  @ApiProperty({ type: String, nullable: true })
  outlet: string | null;
  @ApiProperty({ type: String, nullable: true })
  author: string | null;
  @ApiProperty({ type: String, nullable: true })
  url: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2023-03', description: 'As precise as datePrecision says.' })
  publishedOn: string | null;
  @ApiProperty({ enum: DatePrecision })
  datePrecision: DatePrecision;
  @ApiProperty({ description: 'The date was inferred, not printed in the source.' })
  dateInferred: boolean;
  @ApiProperty({ type: String, nullable: true })
  language: string | null;
  @ApiProperty({ enum: Reliability, description: SOURCE_RELIABILITY_DOC })
  reliability: Reliability;
  @ApiProperty({ type: String, nullable: true })
  reliabilityNotes: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  gradedById: string | null;
  @ApiProperty({ type: Date, nullable: true })
  gradedAt: Date | null;
  @ApiProperty({ description: 'Characters of stored full text; 0 when none.' })
  fullTextLength: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Only when reading one source.' })
  fullText?: string | null;
}

/** "2023", "2023-03" or "2023-03-21", as precise as recorded. */
export function formatPublishedOn(date: Date | null, precision: DatePrecision): string | null {
  if (!date || precision === 'unknown') return null;
  const iso = date.toISOString().slice(0, 10);
  return precision === 'year' ? iso.slice(0, 4) : precision === 'month' ? iso.slice(0, 7) : iso;
}

export function toSourceResponse(row: Source, { withFullText = false } = {}): SourceResponse {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    outlet: row.outlet,
    author: row.author,
    url: row.url,
    publishedOn: formatPublishedOn(row.publishedOn, row.datePrecision),
    datePrecision: row.datePrecision,
    dateInferred: row.dateInferred,
    language: row.language,
    reliability: row.reliability,
    reliabilityNotes: row.reliabilityNotes,
    gradedById: row.gradedById,
    gradedAt: row.gradedAt,
    fullTextLength: row.fullText?.length ?? 0,
    ...(withFullText ? { fullText: row.fullText } : {}),
    ...recordStamps(row),
  };
}
