import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { TrimmedText } from '../../common/text.js';
import { ALERT_TRIGGER_NAMES, ALERT_TRIGGERS, type AlertTrigger } from '../../vocabulary/alerts.js';

const TRIGGERS_DOC = ALERT_TRIGGERS.map(({ trigger, label }) => `\`${trigger}\`: ${label.toLowerCase()}`).join('; ');

export class CreateAlertRuleDto {
  @ApiProperty({ maxLength: 200, example: 'Arms to Russia: band changes' })
  @TrimmedText(200)
  name: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 1000, description: 'Only these claims (any of them). With topic, entity or search, a claim must meet each that is set; none set: every claim.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  claimIds?: string[];

  @ApiPropertyOptional({ maxLength: 100, description: 'Only claims with this topic (case-insensitive).' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  topic?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Only claims naming this entity.' })
  @IsOptional()
  @TrimmedText(200)
  entity?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'A saved search: only claims `GET /claims?q=` finds with this text (statement, evidence and appearance quotes).' })
  @IsOptional()
  @TrimmedText(500)
  search?: string;

  @ApiProperty({ enum: ALERT_TRIGGER_NAMES, isArray: true, description: `What to be told of: ${TRIGGERS_DOC}.` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ALERT_TRIGGER_NAMES, { each: true })
  events: AlertTrigger[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'With `assessment.moved` (and required by it): the least move, in percentage points.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  minMovePoints?: number;

  @ApiPropertyOptional({
    maxLength: 2000,
    description:
      'Where to POST signed events (Standard Webhooks). HTTPS, to a public address; in development (NODE_ENV other than production) ' +
      'also private addresses, and plain http to loopback. Its signing secret is answered once, when the webhook is set.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  webhookUrl?: string;

  @ApiPropertyOptional({ description: "Also deliver to the owner's inbox (default: true when there is no webhook). Integrations have no inbox." })
  @IsOptional()
  @IsBoolean()
  inbox?: boolean;

  @ApiPropertyOptional({ description: 'An integration (admins only): owned by the deployment, not by you; webhook only.' })
  @IsOptional()
  @IsBoolean()
  integration?: boolean;
}

export class UpdateAlertRuleDto extends PartialType(OmitType(CreateAlertRuleDto, ['integration'] as const)) {
  @ApiPropertyOptional({ description: 'true enables a rule its receiver disabled (410 Gone); false pauses it.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class AlertRuleOwner {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
}

export class AlertRuleResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ type: AlertRuleOwner, nullable: true, description: 'Null for an integration.' })
  owner: AlertRuleOwner | null;
  @ApiProperty({ type: [String], format: 'uuid' })
  claimIds: string[];
  @ApiProperty({ type: String, nullable: true })
  topic: string | null;
  @ApiProperty({ type: String, nullable: true })
  entity: string | null;
  @ApiProperty({ type: String, nullable: true })
  search: string | null;
  @ApiProperty({ enum: ALERT_TRIGGER_NAMES, isArray: true })
  events: AlertTrigger[];
  @ApiProperty({ type: Number, nullable: true })
  minMovePoints: number | null;
  @ApiProperty({ type: String, nullable: true })
  webhookUrl: string | null;
  @ApiProperty()
  inbox: boolean;
  @ApiProperty({ description: 'False once paused, or disabled by a receiver answering 410 Gone.' })
  enabled: boolean;
  @ApiProperty({ type: String, nullable: true })
  disabledReason: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
  @ApiPropertyOptional({
    description: 'The webhook signing secret (whsec_…), answered only when a webhook is first set: store it to verify signatures. It cannot be read again.',
  })
  secret?: string;
}

export class AlertTestResponse {
  @ApiProperty({ description: 'Whether the receiver answered 2xx.' })
  ok: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Its HTTP status; null when none came (refused, timed out).' })
  status: number | null;
  @ApiProperty({ type: String, nullable: true })
  error: string | null;
  @ApiProperty({ description: 'The start of its answer (at most 64 KB).' })
  response: string;
}
