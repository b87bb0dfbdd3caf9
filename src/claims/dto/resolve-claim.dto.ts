import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { TrimmedText } from '../../common/text.js';

/** The truth about a claim, once known: it closes the claim's forecasts for calibration. */
export class ResolveClaimDto {
  /** true: the claim turned out true; false: it turned out false. */
  @ApiProperty()
  @IsBoolean()
  outcome: boolean;

  /** When the truth became known (ISO 8601): after the claim was recorded, and not in the future. Forecasts in force before it are scored. */
  @ApiProperty({ format: 'date-time', example: '2022-02-24T00:00:00Z' })
  @IsISO8601({ strict: true })
  resolvedAt: string;

  /** The source that shows the outcome. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sourceId?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @TrimmedText(5000)
  note?: string;
}

/** A resolution found ill-posed (the claim could not be settled as stated). */
export class AnnulResolutionDto {
  /** Why; replaces the resolution's note. */
  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @TrimmedText(5000)
  note?: string;
}
