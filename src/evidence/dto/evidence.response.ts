import { quoteSelectors, SELECTORS_PROPERTY, TextPositionSelector, TextQuoteSelector } from '../../sources/dto/quote-selector.dto.js';
import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { Reliability, Stance } from '../../generated/prisma/enums.js';
import type { Evidence } from '../../generated/prisma/client.js';
import { INFORMATION_CREDIBILITY_DOC } from '../../vocabulary/admiralty.js';
import { DIAGNOSTICITY_DOC } from './create-evidence.dto.js';
import { RecordStamps, recordStamps } from '../../common/record-stamps.js';

@ApiExtraModels(TextQuoteSelector, TextPositionSelector)
export class EvidenceResponse extends RecordStamps {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ format: 'uuid' })
  sourceId: string;
  @ApiProperty()
  sourceTitle: string;
  @ApiProperty({ enum: Reliability, description: "The source's Admiralty reliability grade." })
  sourceReliability: Reliability;
  @ApiProperty({ enum: Stance })
  stance: Stance;
  @ApiProperty()
  quote: string;
  @ApiProperty({ minimum: 1, maximum: 6, description: INFORMATION_CREDIBILITY_DOC })
  credibility: number;
  @ApiProperty({ example: 'B2', description: 'Reliability and credibility together, as analysts write them.' })
  grade: string;
  @ApiProperty({ description: DIAGNOSTICITY_DOC })
  diagnosticity: number;
  @ApiProperty({ type: Date, nullable: true })
  observedAt: Date | null;
  @ApiProperty({ type: String, nullable: true })
  notes: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The originator the text attributes it to.' })
  originatorId: string | null;
  @ApiProperty({ type: String, nullable: true })
  originatorName: string | null;
  @ApiProperty({
    type: String, format: 'uuid', nullable: true,
    description: 'The origin the item belongs to (items sharing an originator or derived sources share one), labelled by one of its items; null when archived.',
  })
  originId: string | null;
  @ApiProperty({ description: 'Whether its origin counts this item for its stance (the one with the largest weight); the others add nothing.' })
  counted: boolean;
  @ApiProperty(SELECTORS_PROPERTY)
  selectors: (TextQuoteSelector | TextPositionSelector)[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "When the source's text changed and the quote could no longer be placed unambiguously (GET /sources/:id/drifted-quotes)." })
  quoteDriftedAt: Date | null;
}

export type EvidenceRow = Evidence & { source: { title: string; reliability: Reliability }; originator: { name: string } | null };

export const EVIDENCE_INCLUDE = { source: { select: { title: true, reliability: true } }, originator: { select: { name: true } } } as const;

export function toEvidenceResponse(row: EvidenceRow): EvidenceResponse {
  return {
    id: row.id,
    claimId: row.claimId,
    sourceId: row.sourceId,
    sourceTitle: row.source.title,
    sourceReliability: row.source.reliability,
    stance: row.stance,
    quote: row.quote,
    credibility: row.credibility,
    grade: `${row.source.reliability}${row.credibility}`,
    diagnosticity: row.diagnosticity,
    observedAt: row.observedAt,
    notes: row.notes,
    originatorId: row.originatorId,
    originatorName: row.originator?.name ?? null,
    originId: row.archivedAt ? null : row.originId,
    counted: !row.archivedAt && row.counted,
    selectors: quoteSelectors(row),
    quoteDriftedAt: row.quoteDriftedAt,
    ...recordStamps(row),
  };
}
