import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { auditActor } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { ClaimViews } from '../claims/claim-views.service.js';
import { toPage, type Page } from '../common/pagination.js';
import { revisedVersion } from '../common/base-version.js';
import { GroupedWrites } from '../common/grouped-writes.js';
import { archivedClaim, conflict, unprocessable } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { AssessmentsRepository, type WriteOutcome } from './assessments.repository.js';
import type { AssessmentQueryDto } from './dto/assessment-query.dto.js';
import { ASSESSMENT_INCLUDE, toAssessmentResponse, type AssessmentResponse } from './dto/assessment.response.js';
import type { WriteOptions } from '../common/write-options.js';
import type { CreateAssessmentDto } from './dto/create-assessment.dto.js';

/** A new version to write, as its response (what the client gets when it is written). */
interface PendingWrite {
  response: AssessmentResponse;
  baseVersion: number;
  actorLabel: string;
  reviewBy: Date | null;
}

@Injectable()
export class AssessmentsService {
  /** New versions asked for in the same moment, one statement per group of distinct claims (see GroupedWrites). */
  private readonly writes = new GroupedWrites<PendingWrite, WriteOutcome>((write) => write.response.claimId, (writes) => this.writeGroup(writes));

  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: AssessmentsRepository,
    private readonly claims: ClaimViews,
    private readonly events: DatabaseEvents,
  ) {}

  /**
   * Appends the next version. The claim row is locked, so of several analysts
   * revising the same version exactly one succeeds; the others get 409 with the
   * version that won, and nothing is overwritten. One statement does it all:
   * writes are the hot path, and every round trip holds the claim's lock longer.
   */
  async create(
    actor: Principal,
    claimId: string,
    input: CreateAssessmentDto,
    ifMatchVersion?: number,
    { at }: WriteOptions = {},
  ): Promise<AssessmentResponse> {
    const baseVersion = revisedVersion(input.baseVersion, ifMatchVersion, 'Name the version you revise: baseVersion in the body, or If-Match with the claim ETag.');
    const evidenceIds = [...(input.evidenceIds ?? [])].sort();
    const response = toAssessmentResponse({
      ...input,
      id: randomUUID(),
      claimId,
      version: baseVersion + 1,
      createdById: actorId(actor),
      createdAt: at ?? new Date(),
      createdBy: { name: actor.kind === 'user' ? actor.name : '' },
      evidence: evidenceIds.map((evidenceId) => ({ evidenceId })),
    });
    const outcome = await this.writes.write({ response, baseVersion, actorLabel: auditActor(actor).actorLabel, reviewBy: input.reviewBy ? new Date(input.reviewBy) : null });
    switch (outcome.verdict) {
      case 'written':
        break;
      case 'missing':
        throw new NotFoundException(`Claim ${claimId} not found.`);
      case 'archived':
        throw archivedClaim(claimId);
      case 'resolved':
        throw conflict(`Claim ${claimId} is resolved; its assessments are closed. To assess it again, re-open it first: DELETE /claims/${claimId}/resolution.`);
      case 'stale': {
        const current = outcome.currentVersion ? await this.get(claimId, outcome.currentVersion) : null;
        throw conflict(
          `The claim was assessed since version ${baseVersion}; the current version is ${outcome.currentVersion}. Review it and resubmit with baseVersion ${outcome.currentVersion}.`,
          { currentVersion: outcome.currentVersion, current },
        );
      }
      case 'evidence':
        throw unprocessable('evidenceIds', 'every id must be current (not archived) evidence of this claim');
    }
    this.events.changed('claims', claimId);
    return response;
  }

  private writeGroup(writes: PendingWrite[]): Promise<WriteOutcome[]> {
    return this.repository.create(
      writes.map(({ response, baseVersion, actorLabel, reviewBy }) => ({
        claimId: response.claimId,
        baseVersion,
        version: response.version,
        id: response.id,
        probability: response.probability,
        confidence: response.confidence,
        rationale: response.rationale,
        authorId: response.createdById,
        at: response.createdAt,
        actorLabel,
        after: response,
        evidenceIds: response.evidenceIds,
        reviewBy,
      })),
    );
  }

  async list(claimId: string, query: AssessmentQueryDto): Promise<Page<AssessmentResponse>> {
    await this.claims.get(claimId);
    const descending = query.sort === '-version';
    const cursor = query.cursor === undefined ? undefined : Number(query.cursor);
    const where = { claimId, ...(query.asOf ? { createdAt: { lte: toDate(query.asOf) } } : {}) };
    const [rows, total] = await Promise.all([
      this.prisma.assessment.findMany({
        where: cursor === undefined ? where : { ...where, version: descending ? { lt: cursor } : { gt: cursor } },
        include: ASSESSMENT_INCLUDE,
        orderBy: { version: descending ? 'desc' : 'asc' },
        take: query.limit + 1,
      }),
      this.prisma.assessment.count({ where }),
    ]);
    return toPage(rows, total, query.limit, (row) => String(row.version), toAssessmentResponse);
  }

  async get(claimId: string, version: number): Promise<AssessmentResponse> {
    const row = await this.prisma.assessment.findUnique({ where: { claimId_version: { claimId, version } }, include: ASSESSMENT_INCLUDE });
    if (!row) throw new NotFoundException(`Claim ${claimId} has no assessment version ${version}.`);
    return toAssessmentResponse(row);
  }
}
