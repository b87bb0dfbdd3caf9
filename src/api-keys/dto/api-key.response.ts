import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyScope } from '../../generated/prisma/enums.js';
import type { ApiKey } from '../../generated/prisma/client.js';

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ description: 'The start of the key, to recognise it; not a secret.' })
  prefix: string;
  @ApiProperty({ enum: ApiKeyScope, isArray: true })
  scopes: ApiKeyScope[];
  @ApiProperty({ format: 'uuid' })
  createdById: string;
  @ApiProperty()
  createdAt: Date;
  @ApiProperty({ type: Date, nullable: true })
  lastUsedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true })
  revokedAt: Date | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The key itself. Shown only in this response; store it now.' })
  key: string;
}

export function toApiKeyResponse(row: ApiKey): ApiKeyResponse {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdById: row.createdById,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
