import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { AsOfQueryDto, BooleanQuery } from '../../common/query.js';
import { TrimmedText } from '../../common/text.js';
import { DerivationKind } from '../../generated/prisma/enums.js';
import type { SourceDerivation } from '../../generated/prisma/client.js';

export const DERIVATION_DOC =
  'A source derived from another (it republishes, translates, quotes or summarises it) carries the same information: ' +
  "the evidence of the two, and of every source linked to them by derivation, counts as one origin in the evidence-weighted probability.";

export class CreateDerivationDto {
  /** The source this one republishes, translates, quotes or summarises. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  derivedFromId: string;

  @ApiProperty({ enum: DerivationKind })
  @IsEnum(DerivationKind)
  kind: DerivationKind;

  /** What shows it, e.g. the shared passage. */
  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @TrimmedText(5000, 0)
  note?: string;
}

export class DerivationQueryDto extends AsOfQueryDto {
  /** Also list withdrawn links. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @BooleanQuery()
  @IsBoolean()
  includeWithdrawn = false;
}

export class DerivationResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid', description: 'The derived source.' })
  sourceId: string;
  @ApiProperty()
  sourceTitle: string;
  @ApiProperty({ format: 'uuid', description: 'The source it derives from.' })
  derivedFromId: string;
  @ApiProperty()
  derivedFromTitle: string;
  @ApiProperty({ enum: DerivationKind })
  kind: DerivationKind;
  @ApiProperty({ type: String, nullable: true })
  note: string | null;
  @ApiProperty({ format: 'uuid', description: 'Who said so.' })
  createdById: string;
  @ApiProperty({ description: 'When.' })
  createdAt: Date;
  @ApiProperty({ type: Date, nullable: true })
  withdrawnAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  withdrawnById: string | null;
}

export class SourceDerivationsResponse {
  @ApiProperty({ type: [DerivationResponse], description: 'The sources this one derives from.' })
  derivedFrom: DerivationResponse[];
  @ApiProperty({ type: [DerivationResponse], description: 'The sources that derive from this one.' })
  derivatives: DerivationResponse[];
}

type DerivationRow = SourceDerivation & { source: { title: string }; derivedFrom: { title: string } };

export function toDerivationResponse(row: DerivationRow): DerivationResponse {
  return {
    id: row.id,
    sourceId: row.sourceId,
    sourceTitle: row.source.title,
    derivedFromId: row.derivedFromId,
    derivedFromTitle: row.derivedFrom.title,
    kind: row.kind,
    note: row.note,
    createdById: row.createdById,
    createdAt: row.createdAt,
    withdrawnAt: row.withdrawnAt,
    withdrawnById: row.withdrawnById,
  };
}
