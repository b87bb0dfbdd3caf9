import { ApiProperty } from '@nestjs/swagger';
import type { AuditEvent } from '../../generated/prisma/client.js';

export class AuditEventResponse {
  @ApiProperty({ description: 'Increasing event number.' })
  id: string;
  @ApiProperty()
  at: Date;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'User who made the change.' })
  actorId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Email of the user at the time, or "system".' })
  actor: string | null;
  @ApiProperty({ example: 'assessment.create' })
  action: string;
  @ApiProperty({ example: 'claim' })
  entityType: string;
  @ApiProperty({ format: 'uuid' })
  entityId: string;
  @ApiProperty({ nullable: true, type: Object, description: 'The record before the change.' })
  before: unknown;
  @ApiProperty({ nullable: true, type: Object, description: 'The record after the change.' })
  after: unknown;
  @ApiProperty({ description: 'True when `before` and `after` are withheld: an analyst\'s estimate on a blind claim, shown to admins and its author only.' })
  withheld: boolean;
}

export function toAuditEventResponse(row: AuditEvent): AuditEventResponse {
  return {
    id: row.id.toString(),
    at: row.at,
    actorId: row.actorId,
    actor: row.actorLabel,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    withheld: false,
  };
}
