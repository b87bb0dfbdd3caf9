import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { PrismaService } from '../database/prisma.service.js';
import { EstimatesRepository } from '../team/estimates.repository.js';
import { Prisma, type AuditEvent } from '../generated/prisma/client.js';
import { toPage, type Page } from '../common/pagination.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';
import { toAuditEventResponse, type AuditEventResponse } from './dto/audit-event.response.js';

/** Plain JSON copy of a row for the audit trail (dates as ISO strings). */
function snapshot(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (value === undefined || value === null) return Prisma.DbNull;
  return JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;
}

/** Who made a change, as the audit trail records it. */
export function auditActor(actor: Principal | null): { actorId: string | null; actorLabel: string } {
  return {
    actorId: actor?.kind === 'user' ? actor.id : null,
    actorLabel: actor === null ? 'system' : actor.kind === 'apiKey' ? `api-key:${actor.name}` : actor.email,
  };
}

/** The claim a change belongs to: the claim itself, or what names it (evidence, appearances, versions). */
function claimOf(entry: AuditEntry): string | null {
  if (entry.entityType === 'claim') return entry.entityId;
  const named = (snapshot: unknown) => (snapshot && typeof snapshot === 'object' && 'claimId' in snapshot ? String(snapshot.claimId) : null);
  return named(entry.after) ?? named(entry.before);
}

export interface AuditEntry {
  /** When the change happened; defaults to now (the seed dates imported history). */
  at?: Date;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly estimates: EstimatesRepository,
  ) {}

  /** Call inside the transaction that makes the change, so both commit or neither. */
  async record(tx: Prisma.TransactionClient, actor: Principal | null, entry: AuditEntry): Promise<void> {
    await tx.auditEvent.create({
      data: {
        at: entry.at,
        ...auditActor(actor),
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        claimId: claimOf(entry),
        before: snapshot(entry.before),
        after: snapshot(entry.after),
      },
    });
  }

  async list(query: AuditQueryDto, viewer: Principal): Promise<Page<AuditEventResponse>> {
    const where: Prisma.AuditEventWhereInput = {
      entityId: query.entityId,
      entityType: query.entityType,
      actorId: query.actorId,
      claimId: query.claimId,
    };
    const cursor = query.cursor === undefined ? undefined : BigInt(query.cursor);
    const [rows, total] = await Promise.all([
      this.prisma.auditEvent.findMany({
        where: cursor === undefined ? where : { ...where, id: { lt: cursor } },
        orderBy: { id: 'desc' },
        take: query.limit + 1,
      }),
      this.prisma.auditEvent.count({ where }),
    ]);
    const withheld = await this.blindEstimates(rows, viewer);
    return toPage(rows, total, query.limit, (row) => row.id.toString(), (row) =>
      withheld.has(row.id) ? { ...toAuditEventResponse(row), before: null, after: null, withheld: true } : toAuditEventResponse(row),
    );
  }

  /**
   * Blind first reaches the audit trail too: an estimate's values on a blind claim are for
   * admins and the analyst who made it (the trail has no place for the finer rule of
   * src/team/team-access.ts, which would need each claim's team).
   */
  private async blindEstimates(rows: AuditEvent[], viewer: Principal): Promise<Set<bigint>> {
    if (viewer.kind === 'user' && viewer.role === 'admin') return new Set();
    const others = rows.filter((row) => row.entityType === 'estimate' && row.claimId && row.actorId !== viewer.id);
    if (others.length === 0) return new Set();
    const blind = await this.estimates.blindClaims([...new Set(others.map((row) => row.claimId!))]);
    return new Set(others.filter((row) => blind.has(row.claimId!)).map((row) => row.id));
  }
}
