import { ApiProperty } from '@nestjs/swagger';
import { ConfidenceResponse } from '../../confidence/dto/confidence.response.js';

export const CHANGE_KINDS = ['claim', 'assessment', 'estimate', 'evidence', 'appearance', 'source'] as const;

/** A claim that others changed since you last looked at it: what it was then, what it is now, and who moved it. */
export class ChangedClaimResponse {
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty()
  statement: string;
  @ApiProperty({ description: 'Your last look at the claim: your last visit to it, or when you last marked everything seen.' })
  since: Date;
  @ApiProperty()
  lastChangeAt: Date;
  @ApiProperty({ description: 'Changes made since, by others (your own are not news to you).' })
  changes: number;
  @ApiProperty({ type: [String], description: 'Who made them: names of users, or API key and system labels.' })
  changedBy: string[];
  @ApiProperty({
    enum: CHANGE_KINDS,
    isArray: true,
    description: 'What changed: the claim\'s own fields, its assessment, an analyst\'s estimate, its evidence or appearances, or the grade of a source its evidence comes from.',
  })
  kinds: string[];
  @ApiProperty({ type: ConfidenceResponse, nullable: true, description: 'The claim as it stood at `since` (null: it is new since).' })
  before: ConfidenceResponse | null;
  @ApiProperty({ type: ConfidenceResponse })
  after: ConfidenceResponse;
}
