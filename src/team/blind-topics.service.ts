import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorId } from '../auth/principal.js';
import { PrismaService } from '../database/prisma.service.js';
import { Transactions, type MarkChanged, type Tx } from '../database/transactions.js';
import type { BlindTopicResponse } from './dto/blind-topic.response.js';

const normalised = (topic: string) => topic.trim().toLowerCase();

/** Topics whose claims are all blind first. */
@Injectable()
export class BlindTopicsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: Transactions,
  ) {}

  async list(): Promise<BlindTopicResponse[]> {
    const topics = await this.prisma.blindTopic.findMany({ orderBy: { topic: 'asc' } });
    const counts = await Promise.all(topics.map((t) => this.prisma.claim.count({ where: { topics: { has: t.topic }, archivedAt: null } })));
    return topics.map((t, i) => ({ topic: t.topic, claims: counts[i], createdAt: t.createdAt }));
  }

  async blind(actor: Principal, topic: string): Promise<BlindTopicResponse> {
    const name = normalised(topic);
    await this.transactions.write(async (tx, changed) => {
      await tx.blindTopic.upsert({ where: { topic: name }, create: { topic: name, createdById: actorId(actor) }, update: {} });
      await this.announceClaims(tx, changed, name);
    });
    return (await this.list()).find((t) => t.topic === name)!;
  }

  async unblind(topic: string): Promise<void> {
    const name = normalised(topic);
    await this.transactions.write(async (tx, changed) => {
      await tx.blindTopic.deleteMany({ where: { topic: name } });
      await this.announceClaims(tx, changed, name);
    });
  }

  /** Every claim of the topic answers differently now: each instance's cache drops it. */
  private async announceClaims(tx: Tx, changed: MarkChanged, topic: string): Promise<void> {
    for (const claim of await tx.claim.findMany({ where: { topics: { has: topic } }, select: { id: true } })) changed('claims', claim.id);
  }
}
