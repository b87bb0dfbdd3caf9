import { SELECTORS_PROPERTY, TextPositionSelector, TextQuoteSelector } from '../../sources/dto/quote-selector.dto.js';
import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { ClaimStatus } from '../../generated/prisma/enums.js';
import type { Claim } from '../../generated/prisma/client.js';
import { AssessmentResponse } from '../../assessments/dto/assessment.response.js';
import { RecordStamps, recordStamps } from '../../common/record-stamps.js';

@ApiExtraModels(TextQuoteSelector, TextPositionSelector)
export class AppearanceResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  sourceId: string;
  @ApiProperty()
  sourceTitle: string;
  @ApiProperty()
  quote: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The originator the text attributes the claim to.' })
  originatorId: string | null;
  @ApiProperty(SELECTORS_PROPERTY)
  selectors: (TextQuoteSelector | TextPositionSelector)[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "When the source's text changed and the quote could no longer be placed unambiguously." })
  quoteDriftedAt: Date | null;
  @ApiProperty()
  createdAt: Date;
}

export class EvidenceCounts {
  @ApiProperty()
  supports: number;
  @ApiProperty()
  contradicts: number;
  @ApiProperty()
  context: number;
}

export class ClaimResponse extends RecordStamps {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  statement: string;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiProperty({ type: [String] })
  topics: string[];
  @ApiProperty({ type: [String] })
  entities: string[];
  @ApiProperty({ enum: ClaimStatus })
  status: ClaimStatus;
  @ApiProperty({ type: Number, nullable: true, description: 'Prior of the evidence-weighted probability; null means 0.5.' })
  priorProbability: number | null;
  @ApiProperty({ type: Date, nullable: true, description: 'When a resolved claim\'s truth became known.' })
  resolvedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  resolutionSourceId: string | null;
  @ApiProperty({ type: Date, nullable: true, description: 'When the judgement should be looked at again; past it, the claim is due for review.' })
  reviewBy: Date | null;
  @ApiProperty({ type: String, nullable: true })
  resolutionNote: string | null;
  @ApiProperty({ description: 'Blind first: analysts see colleagues\' estimates only once they have recorded their own. True also when one of its topics is blind (see /blind-topics).' })
  blind: boolean;
  @ApiProperty({ type: [AppearanceResponse] })
  appearances: AppearanceResponse[];
  @ApiProperty({ type: AssessmentResponse, nullable: true, description: 'The newest assessment version (or the one in force at asOf).' })
  assessment: AssessmentResponse | null;
  @ApiProperty({ type: EvidenceCounts, description: 'Evidence items by stance (archived ones left out).' })
  evidenceCounts: EvidenceCounts;
}

/** The claim columns an audit event keeps; asOf reads rebuild a claim from them. */
export type ClaimSnapshot = Pick<
  Claim,
  | 'id'
  | 'statement'
  | 'description'
  | 'topics'
  | 'entities'
  | 'status'
  | 'priorProbability'
  | 'resolvedAt'
  | 'resolutionSourceId'
  | 'resolutionNote'
  | 'reviewBy'
  | 'blind'
  | 'createdById'
  | 'createdAt'
  | 'updatedAt'
  | 'archivedAt'
>;

export function toClaimSnapshot(row: Claim): ClaimSnapshot {
  const { id, statement, description, topics, entities, status, priorProbability, resolvedAt, resolutionSourceId, resolutionNote, reviewBy, blind } = row;
  return { id, statement, description, topics, entities, status, priorProbability, resolvedAt, resolutionSourceId, resolutionNote, reviewBy, blind, ...recordStamps(row) };
}

export function toClaimResponse(
  claim: ClaimSnapshot,
  related: { appearances: AppearanceResponse[]; assessment: AssessmentResponse | null; evidenceCounts: EvidenceCounts },
): ClaimResponse {
  return { ...toClaimSnapshot(claim as Claim), ...related };
}
