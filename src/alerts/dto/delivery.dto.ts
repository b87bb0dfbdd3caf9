import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { ALERT_TRIGGER_NAMES, type AlertEventType, type AlertTrigger } from '../../vocabulary/alerts.js';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'The message id (webhook-id header): the same on every attempt.' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  eventId: string;
  @ApiProperty()
  type: AlertEventType;
  @ApiProperty({ format: 'uuid' })
  claimId: string;
  @ApiProperty({ enum: ALERT_TRIGGER_NAMES, isArray: true })
  triggers: AlertTrigger[];
  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'pending (being tried), delivered, or failed (the retry period ran out, or the receiver answered 410 Gone).' })
  status: DeliveryStatus;
  @ApiProperty()
  attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: Date | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The last answer\'s HTTP status.' })
  lastStatus: number | null;
  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The start of the last answer (at most 64 KB).' })
  lastResponse: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}
