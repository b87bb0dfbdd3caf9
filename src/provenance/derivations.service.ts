import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { conflict, unprocessable } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { Transactions, type MarkChanged, type Tx } from '../database/transactions.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { CorroborationService } from './corroboration.service.js';
import { DerivationsRepository } from './derivations.repository.js';
import { toDerivationResponse, type CreateDerivationDto, type DerivationQueryDto, type DerivationResponse, type SourceDerivationsResponse } from './dto/derivation.dto.js';

const WITH_TITLES = { source: { select: { title: true } }, derivedFrom: { select: { title: true } } } as const;

/** Which sources derive from which: links analysts record (or confirm from echo detection) and withdraw. */
@Injectable()
export class DerivationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly repository: DerivationsRepository,
    private readonly corroboration: CorroborationService,
  ) {}

  async list(sourceId: string, query: DerivationQueryDto): Promise<SourceDerivationsResponse> {
    await this.requireSource(this.prisma, sourceId, null);
    const asOf = toDate(query.asOf);
    const inForce: Prisma.SourceDerivationWhereInput = asOf
      ? { createdAt: { lte: asOf }, ...(query.includeWithdrawn ? {} : { OR: [{ withdrawnAt: null }, { withdrawnAt: { gt: asOf } }] }) }
      : query.includeWithdrawn ? {} : { withdrawnAt: null };
    const [derivedFrom, derivatives] = await Promise.all([
      this.prisma.sourceDerivation.findMany({ where: { sourceId, ...inForce }, include: WITH_TITLES, orderBy: { createdAt: 'asc' } }),
      this.prisma.sourceDerivation.findMany({ where: { derivedFromId: sourceId, ...inForce }, include: WITH_TITLES, orderBy: { createdAt: 'asc' } }),
    ]);
    return { derivedFrom: derivedFrom.map(toDerivationResponse), derivatives: derivatives.map(toDerivationResponse) };
  }

  async create(actor: Principal, sourceId: string, input: CreateDerivationDto, { at }: { at?: Date } = {}): Promise<DerivationResponse> {
    return this.transactions.write((tx, changed) => this.link(tx, changed, actor, sourceId, input, at));
  }

  /** Records "source derives from input.derivedFromId" in `tx` (also for a confirmed suggestion) and reweighs what it joins. */
  async link(tx: Tx, changed: MarkChanged, actor: Principal, sourceId: string, input: CreateDerivationDto, at?: Date): Promise<DerivationResponse> {
    if (sourceId === input.derivedFromId) throw unprocessable('derivedFromId', 'a source cannot derive from itself');
    await this.repository.serialize(tx);
    await this.requireSource(tx, sourceId, null);
    await this.requireSource(tx, input.derivedFromId, 'derivedFromId');
    const existing = await tx.sourceDerivation.findFirst({ where: { sourceId, derivedFromId: input.derivedFromId, withdrawnAt: null } });
    if (existing) throw conflict(`Source ${sourceId} is already recorded as derived from ${input.derivedFromId}.`, { existingId: existing.id });
    if (await this.repository.derivesFrom(tx, input.derivedFromId, sourceId)) {
      throw unprocessable('derivedFromId', `source ${input.derivedFromId} already derives from ${sourceId} (directly or through others): the link would close a cycle`);
    }
    const row = await tx.sourceDerivation.create({
      data: { sourceId, derivedFromId: input.derivedFromId, kind: input.kind, note: input.note ?? null, createdById: actorId(actor), createdAt: at },
      include: WITH_TITLES,
    });
    const response = toDerivationResponse(row);
    await this.audit.record(tx, actor, { at, action: 'derivation.create', entityType: 'derivation', entityId: row.id, after: response });
    await this.reweigh(tx, changed, actor, [sourceId], at);
    return response;
  }

  /** Withdraws a link: it stays, as history, with who withdrew it and when. */
  async withdraw(actor: Principal, sourceId: string, derivationId: string): Promise<void> {
    await this.transactions.write(async (tx, changed) => {
      await this.repository.serialize(tx);
      const before = await tx.sourceDerivation.findFirst({ where: { id: derivationId, sourceId }, include: WITH_TITLES });
      if (!before) throw new NotFoundException(`Derivation ${derivationId} of source ${sourceId} not found.`);
      if (before.withdrawnAt) return;
      // Who the link joined is read before it goes: those claims may now count more origins.
      const affected = await this.corroboration.claimsAffectedBySources(tx, [sourceId]);
      const after = await tx.sourceDerivation.update({ where: { id: derivationId }, data: { withdrawnAt: new Date(), withdrawnById: actorId(actor) }, include: WITH_TITLES });
      await this.audit.record(tx, actor, { action: 'derivation.withdraw', entityType: 'derivation', entityId: derivationId, before: toDerivationResponse(before), after: toDerivationResponse(after) });
      for (const claimId of (await this.corroboration.reweigh(tx, affected, { cause: 'derivation', actor })).changed) changed('claims', claimId);
    });
  }

  private async reweigh(tx: Tx, changed: MarkChanged, actor: Principal, sourceIds: string[], at?: Date): Promise<void> {
    const affected = await this.corroboration.claimsAffectedBySources(tx, sourceIds);
    for (const claimId of (await this.corroboration.reweigh(tx, affected, { cause: 'derivation', actor, at })).changed) changed('claims', claimId);
  }

  private async requireSource(db: Tx, id: string, field: string | null): Promise<void> {
    const row = await db.source.findUnique({ where: { id }, select: { id: true } });
    if (row) return;
    if (field) throw unprocessable(field, `source ${id} does not exist`);
    throw new NotFoundException(`Source ${id} not found.`);
  }
}
