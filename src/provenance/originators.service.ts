import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { cursorAfter, orderByKeyset, rowsAfter, sortOrder, toPage, type Page } from '../common/pagination.js';
import { conflict, unprocessable } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { foldStatement } from '../common/text.js';
import { Transactions, type MarkChanged, type Tx } from '../database/transactions.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Originator, Prisma } from '../generated/prisma/client.js';
import type { Reliability } from '../generated/prisma/enums.js';
import { CorroborationService } from './corroboration.service.js';
import { OriginatorsRepository } from './originators.repository.js';
import type { CreateOriginatorDto, MergeOriginatorDto, OriginatorQueryDto, OriginatorResponse, UpdateOriginatorDto } from './dto/originator.dto.js';

type OriginatorRow = Originator & { names: { key: string; name: string }[] };
const WITH_NAMES = { names: { select: { key: true, name: true }, orderBy: { name: 'asc' } } } as const;

/** One spelling of a name, as the names table keys it: case, punctuation and spacing ignored. */
export const nameKey = (name: string) => foldStatement(name);

export function toOriginatorResponse(row: OriginatorRow): OriginatorResponse {
  const own = nameKey(row.name);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    aliases: row.names.filter((n) => n.key !== own).map((n) => n.name),
    reliability: row.reliability,
    reliabilityNotes: row.reliabilityNotes,
    mergedIntoId: row.mergedIntoId,
    mergedAt: row.mergedAt,
    createdById: row.createdById,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The originators analysts keep: one row per speaker or body, whatever the spellings. */
@Injectable()
export class OriginatorsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly corroboration: CorroborationService,
    private readonly repository: OriginatorsRepository,
  ) {}

  async create(actor: Principal, input: CreateOriginatorDto, { at }: { at?: Date } = {}): Promise<OriginatorResponse> {
    return this.prisma.$transaction((tx) => this.insert(tx, actor, input, at));
  }

  /** Records an originator in `tx` (also when an analyst confirms a suggested attribution to a new one). */
  async insert(tx: Tx, actor: Principal, input: CreateOriginatorDto, at?: Date): Promise<OriginatorResponse> {
    {
      const names = spellings(input.name, input.aliases ?? []);
      await this.assertNamesFree(tx, names, null);
      const row = await tx.originator.create({
        data: {
          name: input.name,
          kind: input.kind,
          reliability: input.reliability ?? null,
          reliabilityNotes: input.reliabilityNotes ?? null,
          createdById: actorId(actor),
          createdAt: at,
          updatedAt: at,
          names: { create: names },
        },
        include: WITH_NAMES,
      });
      const response = toOriginatorResponse(row);
      await this.audit.record(tx, actor, { at, action: 'originator.create', entityType: 'originator', entityId: row.id, after: response });
      return response;
    }
  }

  async list(query: OriginatorQueryDto): Promise<Page<OriginatorResponse>> {
    const where: Prisma.OriginatorWhereInput = {
      kind: query.kind,
      updatedAt: query.updatedSince ? { gte: toDate(query.updatedSince) } : undefined,
      // Merged originators are history: listed only with includeArchived.
      mergedIntoId: query.includeArchived ? undefined : null,
      ...(query.q ? { names: { some: { key: { contains: nameKey(query.q) } } } } : {}),
    };
    const order = sortOrder(query.sort);
    const field = order.field as 'name' | 'updatedAt';
    const [rows, total] = await Promise.all([
      this.prisma.originator.findMany({ where: { AND: [where, rowsAfter(query.cursor, order)] }, orderBy: orderByKeyset(order), take: query.limit + 1, include: WITH_NAMES }),
      this.prisma.originator.count({ where }),
    ]);
    return toPage(rows, total, query.limit, (row) => cursorAfter(order, row.id, row[field]), toOriginatorResponse);
  }

  async get(id: string): Promise<OriginatorResponse> {
    return toOriginatorResponse(await this.find(this.prisma, id));
  }

  /** Removes an originator's own grade: its items are weighed by their sources' grades again. */
  async removeGrade(actor: Principal, id: string): Promise<void> {
    await this.transactions.write(async (tx, changed) => {
      const before = await this.findLive(tx, id);
      if (before.reliability === null) return;
      const after = await tx.originator.update({ where: { id }, data: { reliability: null }, include: WITH_NAMES });
      await this.audit.record(tx, actor, { action: 'originator.update', entityType: 'originator', entityId: id, before: toOriginatorResponse(before), after: toOriginatorResponse(after) });
      await this.reweighCiting(tx, [id], actor, changed);
    });
  }

  async update(actor: Principal, id: string, input: UpdateOriginatorDto): Promise<OriginatorResponse> {
    return this.transactions.write(async (tx, changed) => {
      const before = await this.findLive(tx, id);
      const name = input.name ?? before.name;
      if (input.name !== undefined || input.aliases !== undefined) {
        const aliases = input.aliases ?? toOriginatorResponse(before).aliases;
        const names = spellings(name, aliases);
        await this.assertNamesFree(tx, names, id);
        await tx.originatorName.deleteMany({ where: { originatorId: id } });
        await tx.originatorName.createMany({ data: names.map((n) => ({ ...n, originatorId: id })) });
      }
      const after = await tx.originator.update({
        where: { id },
        data: { name, kind: input.kind, reliability: input.reliability, reliabilityNotes: input.reliabilityNotes },
        include: WITH_NAMES,
      });
      const response = toOriginatorResponse(after);
      await this.audit.record(tx, actor, { action: 'originator.update', entityType: 'originator', entityId: id, before: toOriginatorResponse(before), after: response });
      if (after.reliability !== before.reliability) await this.reweighCiting(tx, [id], actor, changed);
      return response;
    });
  }

  /**
   * Merges originator `id` into `intoId`: its spellings and attributions become the survivor's;
   * its row stays, marked merged, so the audit trail and old answers still name it.
   */
  async merge(actor: Principal, id: string, input: MergeOriginatorDto): Promise<OriginatorResponse> {
    if (id === input.intoId) throw unprocessable('intoId', 'an originator cannot be merged into itself');
    return this.transactions.write(async (tx, changed) => {
      const merged = await this.findLive(tx, id);
      const into = await tx.originator.findUnique({ where: { id: input.intoId }, include: WITH_NAMES });
      if (!into) throw unprocessable('intoId', `originator ${input.intoId} does not exist`);
      if (into.mergedIntoId) throw unprocessable('intoId', `originator ${input.intoId} was merged into ${into.mergedIntoId}; merge into that one`);
      const grades = new Set([merged.reliability, into.reliability].filter((grade): grade is Reliability => grade !== null));
      if (grades.size > 1 && input.reliability === undefined) {
        throw unprocessable('reliability', `the two are graded ${merged.reliability} and ${into.reliability}: give the survivor's grade`);
      }
      const at = new Date();
      await tx.originatorName.updateMany({ where: { originatorId: id }, data: { originatorId: into.id } });
      // Earlier merges into this one now point at the survivor, so every attribution resolves in one step.
      await tx.originator.updateMany({ where: { mergedIntoId: id }, data: { mergedIntoId: into.id } });
      const gone = await tx.originator.update({ where: { id }, data: { mergedIntoId: into.id, mergedAt: at }, include: WITH_NAMES });
      const survivor = await tx.originator.update({
        where: { id: into.id },
        data: { reliability: input.reliability ?? [...grades][0] ?? null },
        include: WITH_NAMES,
      });
      await this.audit.record(tx, actor, { at, action: 'originator.merge', entityType: 'originator', entityId: id, before: toOriginatorResponse(merged), after: toOriginatorResponse(gone) });
      await this.audit.record(tx, actor, { at, action: 'originator.update', entityType: 'originator', entityId: into.id, before: toOriginatorResponse(into), after: toOriginatorResponse(survivor) });
      await this.reweighCiting(tx, [into.id], actor, changed);
      return toOriginatorResponse(survivor);
    });
  }

  /** The originator an attribution may name, as its survivor's id; an unknown one is refused naming `field`. */
  async requireAttributable(db: Tx, originatorId: string, field = 'originatorId'): Promise<string> {
    const row = await db.originator.findUnique({ where: { id: originatorId }, select: { mergedIntoId: true } });
    if (!row) throw unprocessable(field, `originator ${originatorId} does not exist`);
    return row.mergedIntoId ?? originatorId;
  }

  /** The known originator a name (as a text gives it) refers to: the one whose longest spelling it contains. */
  namedIn(db: Tx, name: string): Promise<{ id: string; name: string } | undefined> {
    return this.repository.namedIn(db, nameKey(name));
  }

  private async reweighCiting(tx: Tx, originatorIds: string[], actor: Principal, changed: MarkChanged): Promise<void> {
    const claims = await this.corroboration.claimsAffectedByOriginators(tx, originatorIds);
    for (const claimId of (await this.corroboration.reweigh(tx, claims, { cause: 'originator', actor })).changed) changed('claims', claimId);
  }

  private async assertNamesFree(db: Tx, names: { key: string }[], self: string | null): Promise<void> {
    const taken = await db.originatorName.findFirst({ where: { key: { in: names.map((n) => n.key) }, NOT: self ? { originatorId: self } : undefined } });
    if (taken) throw conflict(`"${taken.name}" already names originator ${taken.originatorId}.`, { existingId: taken.originatorId });
  }

  private async find(db: Tx, id: string): Promise<OriginatorRow> {
    const row = await db.originator.findUnique({ where: { id }, include: WITH_NAMES });
    if (!row) throw new NotFoundException(`Originator ${id} not found.`);
    return row;
  }

  private async findLive(db: Tx, id: string): Promise<OriginatorRow> {
    const row = await this.find(db, id);
    if (row.mergedIntoId) throw conflict(`Originator ${id} was merged into ${row.mergedIntoId}; change that one.`, { existingId: row.mergedIntoId });
    return row;
  }
}

/** An originator's spellings, one per folded key (the name's own first). */
function spellings(name: string, aliases: string[]): { key: string; name: string }[] {
  const byKey = new Map<string, string>();
  for (const spelling of [name, ...aliases]) {
    const key = nameKey(spelling);
    if (key === '') throw unprocessable(spelling === name ? 'name' : 'aliases', 'must contain letters or digits');
    if (!byKey.has(key)) byKey.set(key, spelling);
  }
  return [...byKey].map(([key, spelling]) => ({ key, name: spelling }));
}
