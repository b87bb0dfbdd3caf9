import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { AchWeight, Consistency } from '../../generated/prisma/enums.js';

export class AchRatingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  evidenceId: string;

  /** The hypothesis (claim) the evidence is rated against. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  claimId: string;

  /** CC very consistent, C consistent, N neutral, I inconsistent, II very inconsistent, NA not applicable. */
  @ApiProperty({ enum: Consistency })
  @IsEnum(Consistency)
  consistency: Consistency;

  @ApiPropertyOptional({ enum: AchWeight, default: AchWeight.medium })
  @IsOptional()
  @IsEnum(AchWeight)
  relevance?: AchWeight;
}

export class RateEvidenceDto {
  /** Cells of the matrix to set; a cell rated again is replaced. */
  @ApiProperty({ type: [AchRatingDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => AchRatingDto)
  ratings: AchRatingDto[];
}
