import { ApiProperty } from '@nestjs/swagger';
import { AchWeight, Consistency } from '../../generated/prisma/enums.js';

export class HypothesisResponse {
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty()
  statement: string;
  @ApiProperty({ description: 'Weighted inconsistency (PARC ACH): 0 or below; the least negative is the likeliest.' })
  inconsistencyScore: number;
}

export class RatingCell {
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ enum: Consistency })
  consistency: Consistency;
  @ApiProperty({ enum: AchWeight })
  relevance: AchWeight;
}

export class MatrixRow {
  @ApiProperty({ format: 'uuid' })
  evidenceId: string;
  @ApiProperty({ format: 'uuid', description: 'The claim the evidence was recorded for.' })
  claimId: string;
  @ApiProperty()
  quote: string;
  @ApiProperty({ example: 'B2' })
  grade: string;
  @ApiProperty({ description: 'False when the evidence is rated alike against every hypothesis.' })
  diagnostic: boolean;
  @ApiProperty({ type: [RatingCell] })
  ratings: RatingCell[];
}

export class QuestionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  title: string;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiProperty({ format: 'uuid' })
  createdById: string;
  @ApiProperty()
  createdAt: Date;
  @ApiProperty({ type: [HypothesisResponse] })
  hypotheses: HypothesisResponse[];
  @ApiProperty({ type: [MatrixRow], description: 'Current evidence of the hypotheses, with its ratings.' })
  evidence: MatrixRow[];
}

/** A question as listed: open it (GET /questions/:id) for its matrix. */
export class QuestionSummary {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  title: string;
  @ApiProperty()
  createdAt: Date;
}
