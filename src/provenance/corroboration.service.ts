import { Injectable, NotFoundException } from '@nestjs/common';
import { corroborate, itemWeight } from '../analysis/corroboration.js';
import { weightedProbability } from '../analysis/evidence-weight.js';
import { auditActor } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { groupBy } from '../common/group-by.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import { toDerivationResponse } from './dto/derivation.dto.js';
import type { ClaimOriginsResponse, OriginResponse } from './dto/origins.response.js';
import { CorroborationRepository, type EvidenceFigures, type EvidenceWeight } from './corroboration.repository.js';

/** What moved a claim's evidence weight, as its weighing records it. */
export const WEIGHING_CAUSES = ['evidence', 'prior', 'source-grade', 'originator', 'attribution', 'derivation', 'weight-set'] as const;
export type WeighingCause = (typeof WEIGHING_CAUSES)[number];

export interface Reweighing {
  cause: WeighingCause;
  actor: Principal | null;
  /** When it happened; defaults to now (the seed dates imported history). */
  at?: Date;
  /** The claims' evidence changed: their update time moves even when their figures do not. */
  touch?: boolean;
}

export interface Reweighed {
  /** Claims whose figures changed. */
  changed: string[];
  /** Each item's origin, and whether its origin counts it. */
  origins: Map<string, { originId: string; counted: boolean }>;
}

/**
 * Keeps each claim's evidence weight as the corroboration rule counts it. Every write that
 * changes what the rule reads (evidence, a grade, an attribution, a derivation, a prior) calls
 * `reweigh` in its transaction, after the change: it locks the claims (in id order, so
 * concurrent writers queue rather than deadlock) and reads what has committed, so the last
 * writer always counts everything and none is lost.
 */
@Injectable()
export class CorroborationService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: CorroborationRepository,
  ) {}

  /**
   * Recomputes claims' figures; answers those whose figures changed (the caller announces them)
   * and each item's origin and whether it counts (for answers, without reading them back).
   */
  async reweigh(tx: Tx, claimIds: string[], { cause, actor, at = new Date(), touch = false }: Reweighing): Promise<Reweighed> {
    if (claimIds.length === 0) return { changed: [], origins: new Map() };
    const claims = await this.repository.lockClaims(tx, [...new Set(claimIds)]);
    // Read after the claims are locked: a weight set activated since then reweighs them again once this commits.
    const weights = await this.repository.activeWeights(tx);
    const itemsOf = groupBy(await this.repository.itemsOf(tx, claims.map((claim) => claim.id)), (row) => row.claimId);
    const figures = new Map<string, EvidenceFigures>();
    const origins: { id: string; originId: string; counted: boolean }[] = [];
    for (const claim of claims) {
      const result = corroborate(itemsOf.get(claim.id) ?? [], weights);
      figures.set(claim.id, {
        logOdds: result.logOdds,
        probability: weightedProbability(result.logOdds, claim.priorProbability ?? undefined),
        supportingItems: result.supporting.items,
        supportingOrigins: result.supporting.origins,
        contradictingItems: result.contradicting.items,
        contradictingOrigins: result.contradicting.origins,
      });
      for (const origin of result.origins) {
        const counted = new Set(Object.values(origin.counted));
        for (const id of origin.itemIds) origins.push({ id, originId: origin.id, counted: counted.has(id) });
      }
    }
    // Only the items whose placing changed are written: a new item on a claim with hundreds rewrites one row, not all.
    const placed = new Map([...itemsOf.values()].flat().map((item) => [item.id, item]));
    const moved = origins.filter(({ id, originId, counted }) => placed.get(id)?.originId !== originId || placed.get(id)?.counted !== counted);
    const changed = await this.repository.write(tx, figures, moved, { at, ...auditActor(actor), cause, touch });
    return { changed, origins: new Map(origins.map(({ id, ...origin }) => [id, origin])) };
  }

  /** A claim's evidence grouped by origin, with the derivation links that join each origin's sources. */
  async origins(claimId: string): Promise<ClaimOriginsResponse> {
    const claim = await this.prisma.claim.findUnique({ where: { id: claimId }, select: { priorProbability: true } });
    if (!claim) throw new NotFoundException(`Claim ${claimId} not found.`);
    const [items, weights] = await Promise.all([this.repository.itemsOf(this.prisma, [claimId]), this.repository.activeWeights(this.prisma)]);
    const sourceIds = [...new Set(items.map((item) => item.sourceId))];
    const linked = await this.repository.linkedSources(this.prisma, sourceIds);
    const result = corroborate(items, weights);
    const lineageSources = [...new Set(sourceIds.flatMap((id) => linked.get(id) ?? [id]))];
    const [sources, originators, links] = await Promise.all([
      this.prisma.source.findMany({ where: { id: { in: sourceIds } }, select: { id: true, title: true } }),
      this.prisma.originator.findMany({ where: { id: { in: [...new Set(items.flatMap((i) => i.originatorId ?? []))] } }, select: { id: true, name: true } }),
      this.prisma.sourceDerivation.findMany({
        where: { withdrawnAt: null, sourceId: { in: lineageSources } },
        include: { source: { select: { title: true } }, derivedFrom: { select: { title: true } } },
        orderBy: { createdAt: 'asc' },
      }),
    ]);
    const title = new Map(sources.map((s) => [s.id, s.title]));
    const byId = new Map(items.map((item) => [item.id, item]));
    const origins = result.origins
      .map((origin): OriginResponse => {
        const members = origin.itemIds.map((id) => byId.get(id)!);
        const counted = new Set(Object.values(origin.counted));
        const reach = new Set(members.flatMap((m) => linked.get(m.sourceId) ?? [m.sourceId]));
        return {
          id: origin.id,
          items: members.map((m) => ({
            evidenceId: m.id, stance: m.stance, weight: itemWeight(m, weights), counted: counted.has(m.id),
            sourceId: m.sourceId, sourceTitle: title.get(m.sourceId) ?? '', originatorId: m.originatorId,
          })),
          originators: originators.filter((o) => members.some((m) => m.originatorId === o.id)),
          derivations: links.filter((link) => reach.has(link.sourceId)).map(toDerivationResponse),
        };
      })
      .sort((a, b) => b.items.length - a.items.length);
    return {
      claimId,
      logOdds: result.logOdds,
      evidenceProbability: weightedProbability(result.logOdds, claim.priorProbability ?? undefined),
      supporting: result.supporting,
      contradicting: result.contradicting,
      origins,
    };
  }

  /** The weight set in force (its id null while none was ever activated: the default scale). */
  activeWeights() {
    return this.repository.activeWeights(this.prisma);
  }

  /** Claims with evidence in force from the sources (whose weight moves when one is regraded). */
  claimsCitingSources(tx: Tx, sourceIds: string[]): Promise<string[]> {
    return this.repository.claimsCitingSources(tx, sourceIds);
  }

  /** Claims whose origins may change when sources' derivations change: those citing any source linked to them. */
  async claimsAffectedBySources(tx: Tx, sourceIds: string[]): Promise<string[]> {
    const linked = await this.repository.linkedSources(tx, sourceIds);
    return this.repository.claimsCitingSources(tx, [...new Set([...linked.values()].flat())]);
  }

  claimsAffectedByOriginators(tx: Tx, originatorIds: string[]): Promise<string[]> {
    return this.repository.claimsCitingOriginators(tx, originatorIds);
  }

  /**
   * Claims' evidence weights now, or at `asOf`: each claim's newest weighing by then, or, before it
   * had any, the plain sum as computed then. (The probability follows from the prior then.)
   */
  async weightsAt(claimIds: string[], asOf?: Date): Promise<Map<string, EvidenceWeight>> {
    const kept = await (asOf ? this.repository.weighingsAt(claimIds, asOf) : this.repository.currentWeights(claimIds));
    const weights = new Map(kept.map(({ claimId, ...weight }): [string, EvidenceWeight] => [claimId, weight]));
    if (!asOf) return weights;
    const before = claimIds.filter((id) => !weights.has(id));
    if (before.length === 0) return weights;
    // Weighings are recorded since provenance was; before a claim's first, no item had any, so each was its own origin.
    const legacy = new Map((await this.repository.legacyWeightsAt(before, asOf)).map((row) => [row.claimId, row]));
    for (const claimId of before) {
      const { logOdds = 0, supporting = 0, contradicting = 0 } = legacy.get(claimId) ?? {};
      weights.set(claimId, { logOdds, supportingItems: supporting, supportingOrigins: supporting, contradictingItems: contradicting, contradictingOrigins: contradicting });
    }
    return weights;
  }
}
