import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { ALERT_TRIGGER_NAMES, type AlertEventType, type AlertTrigger } from '../../vocabulary/alerts.js';

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true: only unread items.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

export class MarkReadDto {
  @ApiProperty({ description: 'true marks it read, false unread.' })
  @IsBoolean()
  read: boolean;
}

export class InboxClaim {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  statement: string;
}

export class InboxActor {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  id: string | null;
  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

export class InboxItemResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  eventId: string;
  @ApiProperty()
  type: AlertEventType;
  @ApiProperty({ type: InboxClaim })
  claim: InboxClaim;
  @ApiProperty({ enum: ALERT_TRIGGER_NAMES, isArray: true })
  triggers: AlertTrigger[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The values before (probabilities with their ICD 203 term).' })
  before: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  after: Record<string, unknown> | null;
  @ApiProperty({ type: InboxActor, nullable: true })
  actor: InboxActor | null;
  @ApiProperty({ type: String, nullable: true })
  cause: string | null;
  @ApiProperty({ format: 'uuid' })
  ruleId: string;
  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: Date | null;
}

export class InboxPageResponse {
  @ApiProperty({ type: [InboxItemResponse] })
  items: InboxItemResponse[];
  @ApiProperty({ description: 'Items matching the filters, over all pages.' })
  total: number;
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
  @ApiProperty({ description: 'Unread items in the inbox.' })
  unread: number;
}
