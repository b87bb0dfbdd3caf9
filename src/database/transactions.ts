import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { CHANGES_CHANNEL, changePayload, type ChangedTable } from './changes.js';
import { DatabaseEvents } from './database-events.service.js';
import { PrismaService } from './prisma.service.js';

export type Tx = Prisma.TransactionClient;
/** Marks a record changed by the transaction under way. */
export type MarkChanged = (table: ChangedTable, id: string) => void;

/** The one way to write: a transaction that announces what it changed. */
@Injectable()
export class Transactions {
  constructor(
    private readonly prisma: PrismaService,
    private readonly events: DatabaseEvents,
  ) {}

  /**
   * Runs `work` in a transaction. What it marks changed is announced inside the transaction
   * (PostgreSQL delivers the notification to every instance when, and only if, it commits),
   * and dropped from this instance's caches once it has committed, before the caller answers.
   */
  async write<T>(work: (tx: Tx, changed: MarkChanged) => Promise<T>): Promise<T> {
    const changes = new Map<string, [ChangedTable, string]>();
    const result = await this.prisma.$transaction(async (tx) => {
      const done = await work(tx, (table, id) => changes.set(changePayload(table, id), [table, id]));
      if (changes.size > 0) await tx.$executeRaw`SELECT pg_notify(${CHANGES_CHANNEL}, payload) FROM unnest(${[...changes.keys()]}::text[]) AS payload`;
      return done;
    });
    for (const [table, id] of changes.values()) this.events.changed(table, id);
    return result;
  }
}
