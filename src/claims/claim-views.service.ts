import { Injectable, NotFoundException } from '@nestjs/common';
import type { AssessmentResponse } from '../assessments/dto/assessment.response.js';
import { cursorAfter, sortOrder, toPage, type Page } from '../common/pagination.js';
import { ValidationProblem } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { groupBy } from '../common/group-by.js';
import { ClaimsRepository, type AppearanceRow, type ClaimFilter, type ClaimOrder } from './claims.repository.js';
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
  constructor(private readonly repository: ClaimsRepository) {}

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
    const filter = this.listFilter(query, asOf);
    const order = sortOrder(query.sort, today ? { field: today } : {}) as ClaimOrder;
    const { rows, total } = await this.repository.page(filter, order, { cursor: query.cursor, limit: query.limit + 1, counted: true });
    const page = toPage(rows, total!, query.limit, (row) => cursorAfter(order, row.id, row.value), (row) => row.id);
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

  /** What a list's query selects (see ClaimsRepository.page); combinations that cannot be answered are a 400. */
  listFilter(query: ClaimFilterDto, asOf: Date | undefined): ClaimFilter {
    if ((query.dissent || query.teamGap) && asOf) {
      throw new ValidationProblem([{ field: query.dissent ? 'dissent' : 'teamGap', messages: ["the team filters use today's estimates and cannot be combined with asOf"] }]);
    }
    if (query.reviewDue && asOf) throw new ValidationProblem([{ field: 'reviewDue', messages: ['is about today and cannot be combined with asOf'] }]);
    return {
      asOf,
      includeArchived: query.includeArchived,
      reviewDue: query.reviewDue ?? false,
      dissent: query.dissent ?? false,
      teamGap: query.teamGap ?? false,
      ids: query.ids,
      status: query.status,
      topic: query.topic?.trim().toLowerCase(),
      entity: query.entity?.trim(),
      updatedSince: toDate(query.updatedSince),
      sourceId: query.source,
      q: query.q,
    };
  }

  /** Claims as their audit trail recorded them at `asOf`. */
  private async snapshotsAt(ids: string[], asOf: Date): Promise<ClaimSnapshot[]> {
    return (await this.repository.snapshotsAt(ids, asOf)).map((after) => ({
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
    }));
  }
}
