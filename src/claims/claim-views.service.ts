import { Injectable, NotFoundException } from '@nestjs/common';
import { DISSENT_BANDS } from '../analysis/consensus.js';
import type { AssessmentResponse } from '../assessments/dto/assessment.response.js';
import { cursorAfter, orderByKeyset, rowsAfter, sortOrder, toPage, type KeysetOrder, type Page } from '../common/pagination.js';
import { ValidationProblem } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { groupBy } from '../common/group-by.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { ClaimsRepository, type AppearanceRow } from './claims.repository.js';
import type { ClaimFilterDto, ClaimQueryDto, ClaimSort } from './dto/claim-query.dto.js';
import { toClaimResponse, type ClaimResponse, type ClaimSnapshot, type EvidenceCounts } from './dto/claim.response.js';

/** Sorts by judgements of today, and the claim column each reads. */
const TODAYS_SORTS: Partial<Record<ClaimSort, 'currentProbability' | 'teamBandSpan' | 'teamGap'>> = {
  probability: 'currentProbability',
  '-probability': 'currentProbability',
  '-dissent': 'teamBandSpan',
  '-teamGap': 'teamGap',
};

const notFound = (id: string, asOf?: Date) =>
  new NotFoundException(asOf ? `Claim ${id} did not exist at ${asOf.toISOString()}.` : `Claim ${id} not found.`);

/**
 * The claim read model: claims as the API shows them (with appearances, the assessment
 * in force and evidence counts), now or as of a moment, one or hundreds at a time. The
 * claim rules (ClaimsService), confidence answers and reports read claims through it.
 */
@Injectable()
export class ClaimViews {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ClaimsRepository,
  ) {}

  async get(id: string, asOf?: Date): Promise<ClaimResponse> {
    const [view] = await this.views([id], asOf);
    if (!view) throw notFound(id, asOf);
    return view;
  }

  /** 404 unless the claim exists (existed at `asOf`), as `get` would answer: one row read, not the whole view. */
  async mustExist(id: string, asOf?: Date): Promise<void> {
    if ((await this.rowsAt([id], asOf)).length === 0) throw notFound(id, asOf);
  }

  async list(query: ClaimQueryDto): Promise<Page<ClaimResponse>> {
    const asOf = toDate(query.asOf);
    // Judgements of today, kept on the claim for sorting: the record's probability, and the team's spread and gap.
    const today = TODAYS_SORTS[query.sort];
    if (asOf && today) {
      throw new ValidationProblem([{ field: 'sort', messages: [`${query.sort.replace(/^-/, '')} sorts use today's judgements and cannot be combined with asOf`] }]);
    }
    const where = await this.listFilter(query, asOf);
    const order = sortOrder(query.sort, today ? { field: today, nullable: true } : {}) as KeysetOrder & {
      field: 'currentProbability' | 'teamBandSpan' | 'teamGap' | 'updatedAt' | 'createdAt';
    };
    const [rows, total] = await Promise.all([
      this.prisma.claim.findMany({
        where: { AND: [where, rowsAfter(query.cursor, order)] },
        orderBy: orderByKeyset(order),
        take: query.limit + 1,
        select: { id: true, currentProbability: true, teamBandSpan: true, teamGap: true, updatedAt: true, createdAt: true },
      }),
      this.prisma.claim.count({ where }),
    ]);
    const page = toPage(rows, total, query.limit, (row) => cursorAfter(order, row.id, row[order.field]), (row) => row.id);
    return { ...page, items: await this.views(page.items, asOf) };
  }

  /** Full claim views, in the order of `ids`; ids that do not exist (at `asOf`) are left out. */
  async views(ids: string[], asOf?: Date): Promise<ClaimResponse[]> {
    if (ids.length === 0) return [];
    const [claims, appearances, assessments, counts] = await Promise.all([
      this.rowsAt(ids, asOf),
      this.appearancesOf(ids, asOf),
      this.assessmentsInForce(ids, asOf),
      this.repository.evidenceCounts(ids, asOf),
    ]);
    const byId = new Map(claims.map((claim) => [claim.id, claim]));
    const appearancesOf = groupBy(appearances, (a) => a.claimId);
    const countsOf = groupBy(counts, (count) => count.claimId);
    return ids.flatMap((id) => {
      const claim = byId.get(id);
      if (!claim) return [];
      const evidenceCounts: EvidenceCounts = { supports: 0, contradicts: 0, context: 0 };
      for (const { stance, count } of countsOf.get(id) ?? []) evidenceCounts[stance] = count;
      return [
        toClaimResponse(claim, {
          appearances: (appearancesOf.get(id) ?? []).map(({ claimId: _, ...appearance }) => appearance),
          assessment: assessments.get(id) ?? null,
          evidenceCounts,
        }),
      ];
    });
  }

  /** The claims as they stood at `asOf` (from the audit trail), or as they are; ids not found are left out. */
  async rowsAt(ids: string[], asOf?: Date): Promise<ClaimSnapshot[]> {
    return asOf ? this.snapshotsAt(ids, asOf) : this.repository.byIds(ids);
  }

  /** Where the claims appeared, as recorded by `asOf` (or now), oldest first. */
  async appearancesOf(ids: string[], asOf?: Date): Promise<AppearanceRow[]> {
    return this.repository.appearancesOf(ids, asOf);
  }

  /** Per claim, the newest assessment version made at or before `asOf` (or the newest of all). */
  async assessmentsInForce(ids: string[], asOf?: Date): Promise<Map<string, AssessmentResponse>> {
    return this.repository.inForce(ids, asOf);
  }

  /** The claims a filter selects (existing and not archived at `asOf`, when given). */
  async listFilter(query: ClaimFilterDto, asOf: Date | undefined): Promise<Prisma.ClaimWhereInput> {
    const and: Prisma.ClaimWhereInput[] = [];
    if (!query.includeArchived) and.push(asOf ? { OR: [{ archivedAt: null }, { archivedAt: { gt: asOf } }] } : { archivedAt: null });
    if (asOf) and.push({ createdAt: { lte: asOf } });
    if ((query.dissent || query.teamGap) && asOf) {
      throw new ValidationProblem([{ field: query.dissent ? 'dissent' : 'teamGap', messages: ["the team filters use today's estimates and cannot be combined with asOf"] }]);
    }
    if (query.reviewDue && asOf) throw new ValidationProblem([{ field: 'reviewDue', messages: ['is about today and cannot be combined with asOf'] }]);
    if (query.reviewDue) and.push({ reviewBy: { lte: new Date() } });
    if (query.dissent) and.push({ teamBandSpan: { gte: DISSENT_BANDS } });
    if (query.teamGap) and.push({ teamGap: { gte: 1 } });
    if (query.ids) and.push({ id: { in: query.ids } });
    if (query.status) and.push({ status: query.status });
    if (query.topic) and.push({ topics: { has: query.topic.trim().toLowerCase() } });
    if (query.entity) and.push({ entities: { has: query.entity.trim() } });
    if (query.updatedSince) and.push({ updatedAt: { gte: toDate(query.updatedSince) } });
    if (query.source) {
      and.push({ OR: [{ appearances: { some: { sourceId: query.source } } }, { evidence: { some: { sourceId: query.source } } }] });
    }
    if (query.q) and.push({ id: { in: await this.repository.search(query.q) } });
    return { AND: and };
  }

  /** Claims as their audit trail recorded them at `asOf`. */
  private async snapshotsAt(ids: string[], asOf: Date): Promise<ClaimSnapshot[]> {
    return (await this.repository.snapshotsAt(ids, asOf))
      .map((after) => ({
        ...(after as unknown as ClaimSnapshot),
        createdAt: new Date(after.createdAt as string),
        updatedAt: new Date(after.updatedAt as string),
        archivedAt: after.archivedAt ? new Date(after.archivedAt as string) : null,
        priorProbability: (after.priorProbability as number | undefined) ?? null,
        resolvedAt: after.resolvedAt ? new Date(after.resolvedAt as string) : null,
        resolutionSourceId: (after.resolutionSourceId as string | undefined) ?? null,
        resolutionNote: (after.resolutionNote as string | undefined) ?? null,
        reviewBy: after.reviewBy ? new Date(after.reviewBy as string) : null,
        blind: (after.blind as boolean | undefined) ?? false,
      }))
      .filter((claim) => !claim.archivedAt || claim.archivedAt > asOf);
  }
}
