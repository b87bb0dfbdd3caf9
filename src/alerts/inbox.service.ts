import { Injectable, NotFoundException } from '@nestjs/common';
import { toPage } from '../common/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import type { AlertEventType, AlertTrigger } from '../vocabulary/alerts.js';
import { eventChange } from './alert-message.js';
import type { InboxItemResponse, InboxPageResponse, InboxQueryDto } from './dto/inbox.dto.js';

const ITEM = { event: { include: { claim: { select: { id: true, statement: true } } } } } as const;

/** A user's inbox: the events their rules delivered there, newest first, read or not. */
@Injectable()
export class InboxService {
  constructor(private readonly prisma: PrismaService) {}

  async list(userId: string, query: InboxQueryDto): Promise<InboxPageResponse> {
    const where = { userId, ...(query.unread ? { readAt: null } : {}) };
    const [rows, total, unread] = await Promise.all([
      this.prisma.inboxItem.findMany({
        where,
        include: ITEM,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
        take: query.limit + 1,
      }),
      this.prisma.inboxItem.count({ where }),
      this.prisma.inboxItem.count({ where: { userId, readAt: null } }),
    ]);
    return {
      ...toPage(rows, total, query.limit, (row) => row.id, (row): InboxItemResponse => ({
        id: row.id,
        eventId: row.eventId,
        type: row.event.type as AlertEventType,
        claim: row.event.claim,
        triggers: row.triggers as AlertTrigger[],
        ...eventChange(row.event),
        ruleId: row.ruleId,
        occurredAt: row.event.occurredAt,
        readAt: row.readAt,
      })),
      unread,
    };
  }

  async mark(userId: string, id: string, read: boolean): Promise<void> {
    const { count } = await this.prisma.inboxItem.updateMany({ where: { id, userId }, data: { readAt: read ? new Date() : null } });
    if (count === 0) throw new NotFoundException(`Inbox item ${id} not found.`);
  }

  async markAllRead(userId: string): Promise<void> {
    await this.prisma.inboxItem.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
  }
}
