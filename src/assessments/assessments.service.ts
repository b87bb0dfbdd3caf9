import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { auditActor } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { ClaimsService } from '../claims/claims.service.js';
import { toPage, type Page } from '../common/pagination.js';
import { conflict, Problem, unprocessable, ValidationProblem } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { CREATE_ASSESSMENT } from './assessments.sql.js';
import type { AssessmentQueryDto } from './dto/assessment-query.dto.js';
import { ASSESSMENT_INCLUDE, toAssessmentResponse, type AssessmentResponse } from './dto/assessment.response.js';
import type { WriteOptions } from '../common/write-options.js';
import type { CreateAssessmentDto } from './dto/create-assessment.dto.js';

interface WriteOutcome {
  currentVersion: number;
  archived: boolean;
  evidenceCurrent: boolean;
}

@Injectable()
export class AssessmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly claims: ClaimsService,
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
    const { rows } = await this.prisma.pool.query<WriteOutcome>({
      ...CREATE_ASSESSMENT,
      values: [
        claimId,
        baseVersion,
        response.id,
        response.probability,
        response.confidence,
        response.rationale,
        response.createdById,
        response.createdAt,
        evidenceIds,
        auditActor(actor).actorLabel,
        JSON.stringify(response),
      ],
    });
    const [outcome] = rows;
    if (!outcome) throw new NotFoundException(`Claim ${claimId} not found.`);
    if (outcome.archived) throw conflict(`Claim ${claimId} is archived.`);
    if (outcome.currentVersion !== baseVersion) {
      const current = outcome.currentVersion ? await this.get(claimId, outcome.currentVersion) : null;
      throw conflict(
        `The claim was assessed since version ${baseVersion}; the current version is ${outcome.currentVersion}. Review it and resubmit with baseVersion ${outcome.currentVersion}.`,
        { currentVersion: outcome.currentVersion, current },
      );
    }
    if (!outcome.evidenceCurrent) throw unprocessable('evidenceIds', 'every id must be current (not archived) evidence of this claim');
    this.events.changed('claims', claimId);
    return response;
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
