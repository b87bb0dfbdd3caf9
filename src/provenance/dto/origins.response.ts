import { ApiProperty } from '@nestjs/swagger';
import { Stance } from '../../generated/prisma/enums.js';
import { DerivationResponse } from './derivation.dto.js';

export class NamedRef {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
}

export class OriginItem {
  @ApiProperty({ format: 'uuid' })
  evidenceId: string;
  @ApiProperty({ enum: Stance })
  stance: Stance;
  @ApiProperty({ description: 'How far the item alone would move the log-odds.' })
  weight: number;
  @ApiProperty({ description: 'The item its origin counts for its stance; the others add nothing.' })
  counted: boolean;
  @ApiProperty({ format: 'uuid' })
  sourceId: string;
  @ApiProperty()
  sourceTitle: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  originatorId: string | null;
}

export class OriginResponse {
  @ApiProperty({ format: 'uuid', description: 'The origin\'s label: the id of its first item.' })
  id: string;
  @ApiProperty({ type: [OriginItem] })
  items: OriginItem[];
  @ApiProperty({ type: [NamedRef], description: 'The originators its items are attributed to.' })
  originators: NamedRef[];
  @ApiProperty({ type: [DerivationResponse], description: 'The derivation links in force that join its sources: the chain, on demand.' })
  derivations: DerivationResponse[];
}

export class OriginTally {
  @ApiProperty()
  items: number;
  @ApiProperty({ description: 'Independent origins among them: what the evidence-weighted probability counts.' })
  origins: number;
}

export class ClaimOriginsResponse {
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ description: 'The log-odds the evidence moves, each origin counted once per stance.' })
  logOdds: number;
  @ApiProperty({ minimum: 0, maximum: 1 })
  evidenceProbability: number;
  @ApiProperty({ type: OriginTally })
  supporting: OriginTally;
  @ApiProperty({ type: OriginTally })
  contradicting: OriginTally;
  @ApiProperty({ type: [OriginResponse], description: 'Items grouped by origin, the largest groups first.' })
  origins: OriginResponse[];
}
