import { ApiProperty } from '@nestjs/swagger';
import { MIN_COVERAGE, RESTATES_AT } from '../claim-suggestions.js';

export class SuggestedClaim {
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty()
  statement: string;
  @ApiProperty({ minimum: MIN_COVERAGE, maximum: 1, description: "The share of the claim's words (weighted by rarity) the sentence has." })
  coverage: number;
  @ApiProperty({ enum: ['restates', 'may-support', 'may-contradict'], description: `may-contradict when one of the two is negated; restates from ${RESTATES_AT} coverage; may-support otherwise.` })
  relation: 'restates' | 'may-support' | 'may-contradict';
}

export class SentenceSuggestions {
  @ApiProperty()
  text: string;
  @ApiProperty({ description: 'Code points from the start of the source text: a quote selector for the sentence.' })
  start: number;
  @ApiProperty()
  end: number;
  @ApiProperty({ type: [SuggestedClaim], description: 'Existing claims the sentence may bear on, best first.' })
  claims: SuggestedClaim[];
  @ApiProperty({ enum: ['attribution', 'number', 'modal'], isArray: true, description: 'Why the sentence looks like a new claim worth checking (empty: it does not).' })
  checkReasons: ('attribution' | 'number' | 'modal')[];
}

export class ClaimSuggestionsResponse {
  @ApiProperty({ format: 'uuid' })
  sourceId: string;
  @ApiProperty({ type: String, nullable: true })
  language: string | null;
  @ApiProperty({ description: 'How sentences were matched to claims for this language.' })
  matching: string;
  @ApiProperty({ type: [SentenceSuggestions], description: 'The sentences with a suggestion, in text order.' })
  sentences: SentenceSuggestions[];
}
