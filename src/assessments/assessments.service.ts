import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import DataLoader from 'dataloader';
import { randomUUID } from 'node:crypto';
import { auditActor } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { ClaimViews } from '../claims/claim-views.service.js';
import { toPage, type Page } from '../common/pagination.js';
import { SAME_MOMENT } from '../common/same-moment.js';
import { archivedClaim, conflict, Problem, unprocessable, ValidationProblem } from '../common/problem.js';
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
}


/** The most new versions one statement writes. */
const MAX_GROUP = 50;

@Injectable()
export class AssessmentsService {
  /**
   * New versions asked for in the same moment are written by one statement: under
   * load, commits queue behind each other (PostgreSQL serialises the commits of
   * transactions that notify), and one commit for many claims clears the queue.
   */
  private readonly writes = new DataLoader<PendingWrite, WriteOutcome>((writes) => this.writeAll(writes), SAME_MOMENT);

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
    const baseVersion = this.baseVersion(input.baseVersion, ifMatchVersion);
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
    const outcome = await this.writes.load({ response, baseVersion, actorLabel: auditActor(actor).actorLabel });
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

  /**
   * Writes in groups of distinct claims, in arrival order: a second write to a claim
   * goes in the next group, after the first. A group the database refuses as a whole
   * is retried one write at a time, so one bad write fails only itself.
   */
  private async writeAll(writes: readonly PendingWrite[]): Promise<(WriteOutcome | Error)[]> {
    const outcomes: (WriteOutcome | Error)[] = [];
    let waiting = writes.map((write, index) => ({ write, index }));
    while (waiting.length > 0) {
      const claims = new Set<string>();
      const group: typeof waiting = [];
      const later: typeof waiting = [];
      for (const item of waiting) {
        const claimId = item.write.response.claimId;
        if (claims.has(claimId) || group.length === MAX_GROUP) {
          later.push(item);
        } else {
          group.push(item);
          claims.add(claimId);
        }
      }
      try {
        const rows = await this.writeGroup(group.map((item) => item.write));
        group.forEach((item, i) => (outcomes[item.index] = rows[i]));
      } catch (error) {
        for (const item of group) {
          outcomes[item.index] = group.length === 1 ? (error as Error) : await this.writeGroup([item.write]).then(([row]) => row, (e: Error) => e);
        }
      }
      waiting = later;
    }
    return outcomes;
  }

  private writeGroup(writes: PendingWrite[]): Promise<WriteOutcome[]> {
    return this.repository.create(
      writes.map(({ response, baseVersion, actorLabel }) => ({
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

  private baseVersion(fromBody: number | undefined, fromIfMatch: number | undefined): number {
    if (fromBody !== undefined && fromIfMatch !== undefined && fromBody !== fromIfMatch) {
      throw new ValidationProblem([{ field: 'baseVersion', messages: ['baseVersion and If-Match name different versions'] }]);
    }
    const base = fromBody ?? fromIfMatch;
    if (base === undefined) {
      throw new Problem(HttpStatus.PRECONDITION_REQUIRED, 'Name the version you revise: baseVersion in the body, or If-Match with the claim ETag.', {
        errors: [{ field: 'baseVersion', messages: ['baseVersion (or If-Match) is required'] }],
      });
    }
    return base;
  }
}
