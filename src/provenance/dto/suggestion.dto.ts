import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { DerivationKind, SuggestionStatus } from '../../generated/prisma/enums.js';

export class DerivationSuggestionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SuggestionStatus, default: 'open' })
  @IsOptional()
  @IsEnum(SuggestionStatus)
  status: SuggestionStatus = 'open';

  /** Only those where this source is either side. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sourceId?: string;
}

export class ConfirmDerivationDto {
  /** The relation, when the suggested one ("republishes" or "quotes", from how much is shared) is not right. */
  @ApiPropertyOptional({ enum: DerivationKind })
  @IsOptional()
  @IsEnum(DerivationKind)
  kind?: DerivationKind;
}

/** What every suggestion says of its fate: open until an analyst confirms or dismisses it. */
export class SuggestionState {
  @ApiProperty({ enum: SuggestionStatus })
  status: SuggestionStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  decidedById: string | null;
  @ApiProperty({ type: Date, nullable: true })
  decidedAt: Date | null;
  @ApiProperty()
  createdAt: Date;
}

export class DerivationSuggestionResponse extends SuggestionState {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid', description: 'The source proposed as derived (the later one).' })
  sourceId: string;
  @ApiProperty()
  sourceTitle: string;
  @ApiProperty({ format: 'uuid', description: 'The source it would derive from.' })
  derivedFromId: string;
  @ApiProperty()
  derivedFromTitle: string;
  @ApiProperty({ enum: DerivationKind })
  kind: DerivationKind;
  @ApiProperty({ description: 'The longest passage the two share, as it reads in the derived source: the reason for the suggestion.' })
  passage: string;
  @ApiProperty({ description: 'Words of the derived source in passages it shares with the other.' })
  sharedWords: number;
}
