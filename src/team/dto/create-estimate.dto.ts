import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsNumber, IsOptional, ValidateBy } from 'class-validator';
import { TrimmedText } from '../../common/text.js';
import { CreateAssessmentDto } from '../../assessments/dto/create-assessment.dto.js';
import { ESTIMATIVE_TERMS_DOC } from '../../vocabulary/estimative.js';

/** Strictly between 0 and 1: the consensus pools log-odds, and those of 0 and 1 are infinite. */
const StrictlyBetweenZeroAndOne = () =>
  ValidateBy({
    name: 'strictlyBetweenZeroAndOne',
    validator: {
      validate: (value: unknown) => typeof value === 'number' && value > 0 && value < 1,
      defaultMessage: () => 'probability must lie strictly between 0 and 1: the consensus pools log-odds, and the log-odds of 0 and 1 are infinite',
    },
  });

/**
 * An analyst's own estimate: the assessment's fields, with its own chain's `baseVersion`
 * (0 for their first estimate on the claim; If-Match with "<version>" instead).
 */
export class CreateEstimateDto extends PickType(CreateAssessmentDto, ['confidence', 'rationale', 'evidenceIds', 'baseVersion'] as const) {
  @ApiProperty({ minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true, example: 0.7, description: `Probability that the claim is true, strictly between 0 and 1. ${ESTIMATIVE_TERMS_DOC}` })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @StrictlyBetweenZeroAndOne()
  probability: number;
}

/** Withdraws the analyst's estimate: a new version of their chain that counts no more. */
export class WithdrawEstimateDto extends PickType(CreateAssessmentDto, ['baseVersion'] as const) {
  @ApiPropertyOptional({ maxLength: 20000, description: 'Why (optional).' })
  @IsOptional()
  @TrimmedText(20000, 0)
  rationale?: string;
}
