import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { conflict } from '../common/problem.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import type { AttributionSuggestion } from '../generated/prisma/client.js';
import { attributionPhrases, sentencesAround } from '../provenance/attribution-phrases.js';
import { OriginatorsService } from '../provenance/originators.service.js';
import type { AttributionSuggestionResponse } from './dto/attribution.dto.js';

const toResponse = (row: AttributionSuggestion): AttributionSuggestionResponse => ({
  id: row.id,
  evidenceId: row.evidenceId,
  claimId: row.claimId,
  originatorId: row.originatorId,
  name: row.name,
  phrase: row.phrase,
  status: row.status,
  decidedById: row.decidedById,
  decidedAt: row.decidedAt,
  createdAt: row.createdAt,
});

/** Attributions proposed from the words around a quote ("…, according to US officials"), for analysts to confirm or dismiss. */
@Injectable()
export class AttributionSuggestionsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly originators: OriginatorsService,
  ) {}

  /**
   * Proposes attributions for an unattributed item from its quote's sentence in the source. A
   * name proposed once for an item is not proposed again (dismissed, it stays dismissed).
   */
  async propose(tx: Tx, item: { id: string; claimId: string; sourceId: string; quote: string; originatorId: string | null }): Promise<void> {
    if (item.originatorId) return;
    const source = await tx.source.findUnique({ where: { id: item.sourceId }, select: { fullText: true } });
    const phrases = attributionPhrases(sentencesAround(source?.fullText ?? null, item.quote));
    const data = [];
    for (const { phrase, name } of phrases) {
      const known = await this.originators.namedIn(tx, name);
      data.push({ evidenceId: item.id, claimId: item.claimId, originatorId: known?.id ?? null, name: known?.name ?? name, phrase });
    }
    if (data.length > 0) await tx.attributionSuggestion.createMany({ data, skipDuplicates: true });
  }

  async list(claimId: string, status: AttributionSuggestion['status']): Promise<AttributionSuggestionResponse[]> {
    const rows = await this.prisma.attributionSuggestion.findMany({ where: { claimId, status }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(toResponse);
  }

  /** Decides an open suggestion of the claim; a second decision finds it decided (409). */
  async decide(tx: Tx, actor: Principal, claimId: string, id: string, status: 'confirmed' | 'dismissed'): Promise<AttributionSuggestionResponse> {
    const { count } = await tx.attributionSuggestion.updateMany({ where: { id, claimId, status: 'open' }, data: { status, decidedById: actorId(actor), decidedAt: new Date() } });
    const row = await tx.attributionSuggestion.findFirst({ where: { id, claimId } });
    if (!row) throw new NotFoundException(`Attribution suggestion ${id} of claim ${claimId} not found.`);
    if (count === 0) throw conflict(`Suggestion ${id} was already ${row.status}.`);
    const response = toResponse(row);
    const action = status === 'confirmed' ? 'confirm' : 'dismiss';
    await this.audit.record(tx, actor, { action: `attribution-suggestion.${action}`, entityType: 'attribution-suggestion', entityId: id, after: response });
    return response;
  }
}
