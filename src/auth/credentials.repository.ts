import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import type { ApiKeyScope, Role } from '../generated/prisma/enums.js';

export interface StoredKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  keyHash: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface StoredUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
}

// Every authenticated request looks one of these up: prepared statements, not the ORM's generic path.
const KEY_BY_PREFIX = defineQuery<[prefix: string], StoredKey>(
  'api_key_by_prefix',
  'SELECT id, name, scopes::text[] AS scopes, key_hash AS "keyHash", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt" FROM api_keys WHERE prefix = $1',
  { id: true, name: true, scopes: true, keyHash: true, revokedAt: true, lastUsedAt: true },
);
const KEY_BY_ID = defineQuery<[id: string], Pick<StoredKey, 'id' | 'name' | 'scopes' | 'revokedAt'>>(
  'api_key_by_id',
  'SELECT id, name, scopes::text[] AS scopes, revoked_at AS "revokedAt" FROM api_keys WHERE id = $1',
  { id: true, name: true, scopes: true, revokedAt: true },
);
const USER_BY_ID = defineQuery<[id: string], StoredUser>(
  'user_by_id',
  'SELECT id, email, name, role::text AS role, disabled_at AS "disabledAt" FROM users WHERE id = $1',
  { id: true, email: true, name: true, role: true, disabledAt: true },
);

/** The credentials authentication looks up on every request. */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async keyByPrefix(prefix: string): Promise<StoredKey | undefined> {
    return (await queryRows(this.prisma.pool, KEY_BY_PREFIX, [prefix]))[0];
  }

  async keyById(id: string): Promise<Pick<StoredKey, 'id' | 'name' | 'scopes' | 'revokedAt'> | undefined> {
    return (await queryRows(this.prisma.pool, KEY_BY_ID, [id]))[0];
  }

  async userById(id: string): Promise<StoredUser | undefined> {
    return (await queryRows(this.prisma.pool, USER_BY_ID, [id]))[0];
  }
}
