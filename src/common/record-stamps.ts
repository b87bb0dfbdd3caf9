import { ApiProperty } from '@nestjs/swagger';

/** Who made a record and when it changed: the same four fields on sources, claims and evidence. */
export class RecordStamps {
  @ApiProperty({ format: 'uuid' })
  createdById: string;
  @ApiProperty()
  createdAt: Date;
  @ApiProperty()
  updatedAt: Date;
  @ApiProperty({ type: Date, nullable: true })
  archivedAt: Date | null;
}

export function recordStamps({ createdById, createdAt, updatedAt, archivedAt }: RecordStamps): RecordStamps {
  return { createdById, createdAt, updatedAt, archivedAt };
}
