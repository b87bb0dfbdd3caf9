import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { newApiKey, sha256 } from '../auth/secrets.js';
import { Transactions } from '../database/transactions.js';
import { PrismaService } from '../database/prisma.service.js';
import type { ApiKeyScope } from '../generated/prisma/enums.js';
import { BY_ID, cursorAfter, rowsAfter, toPage, type Page, type PageQueryDto } from '../common/pagination.js';
import type { CreateApiKeyDto } from './dto/create-api-key.dto.js';
import { toApiKeyResponse, type ApiKeyResponse, type CreatedApiKeyResponse } from './dto/api-key.response.js';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
  ) {}

  /** `key` lets the seed install a known demo key; otherwise a random one is made. */
  async create(actor: Principal, input: CreateApiKeyDto, key = newApiKey()): Promise<CreatedApiKeyResponse> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.apiKey.create({
        data: {
          name: input.name,
          prefix: key.prefix,
          keyHash: sha256(key.key),
          scopes: input.scopes as ApiKeyScope[],
          createdById: actorId(actor),
        },
      });
      const response = toApiKeyResponse(row);
      await this.audit.record(tx, actor, { action: 'apiKey.create', entityType: 'apiKey', entityId: row.id, after: response });
      return { ...response, key: key.key };
    });
  }

  async list(query: PageQueryDto): Promise<Page<ApiKeyResponse>> {
    const [rows, total] = await Promise.all([
      this.prisma.apiKey.findMany({ where: rowsAfter(query.cursor, BY_ID), orderBy: { id: 'asc' }, take: query.limit + 1 }),
      this.prisma.apiKey.count(),
    ]);
    return toPage(rows, total, query.limit, (row) => cursorAfter(BY_ID, row.id), toApiKeyResponse);
  }

  /** Revoking is idempotent and keeps the row, so the audit trail still names the key. */
  async revoke(actor: Principal, id: string): Promise<void> {
    await this.transactions.write(async (tx, changed) => {
      const before = await tx.apiKey.findUnique({ where: { id } });
      if (!before) throw new NotFoundException(`API key ${id} not found.`);
      if (before.revokedAt) return;
      const after = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
      changed('api_keys', id);
      await this.audit.record(tx, actor, {
        action: 'apiKey.revoke',
        entityType: 'apiKey',
        entityId: id,
        before: toApiKeyResponse(before),
        after: toApiKeyResponse(after),
      });
    });
  }
}
