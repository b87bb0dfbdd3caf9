import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { ClaimsService } from '../claims/claims.service.js';
import { toPage, type Page } from '../common/pagination.js';
import { conflict, Problem, unprocessable, ValidationProblem } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { PrismaService } from '../database/prisma.service.js';
import type { AssessmentQueryDto } from './dto/assessment-query.dto.js';
import { ASSESSMENT_INCLUDE, toAssessmentResponse, type AssessmentResponse } from './dto/assessment.response.js';
import type { WriteOptions } from '../common/write-options.js';
import type { CreateAssessmentDto } from './dto/create-assessment.dto.js';

@Injectable()
export class AssessmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly claims: ClaimsService,
  ) {}

  /**
   * Appends the next version. The claim row is locked, so of several analysts
   * revising the same version exactly one succeeds; the others get 409 with the
   * version that won, and nothing is overwritten.
   */
  async create(
    actor: Principal,
    claimId: string,
    input: CreateAssessmentDto,
    ifMatchVersion?: number,
    { at }: WriteOptions = {},
  ): Promise<AssessmentResponse> {
    const baseVersion = this.baseVersion(input.baseVersion, ifMatchVersion);
    const evidenceIds = input.evidenceIds ?? [];
    return this.claims.write(claimId, async (tx) => {
      const claim = await this.claims.lock(tx, claimId);
      if (claim.archivedAt) throw conflict(`Claim ${claimId} is archived.`);
      if (claim.currentVersion !== baseVersion) {
        const current = claim.currentVersion
          ? toAssessmentResponse(
              await tx.assessment.findUniqueOrThrow({
                where: { claimId_version: { claimId, version: claim.currentVersion } },
                include: ASSESSMENT_INCLUDE,
              }),
            )
          : null;
        throw conflict(
          `The claim was assessed since version ${baseVersion}; the current version is ${claim.currentVersion}. Review it and resubmit with baseVersion ${claim.currentVersion}.`,
          { currentVersion: claim.currentVersion, current },
        );
      }
      if (evidenceIds.length > 0) {
        const found = await tx.evidence.count({ where: { id: { in: evidenceIds }, claimId, archivedAt: null } });
        if (found !== evidenceIds.length) throw unprocessable('evidenceIds', 'every id must be current (not archived) evidence of this claim');
      }
      const version = baseVersion + 1;
      const createdById = actorId(actor);
      // The answer is built from what was written, without reading it back: writes are the hot path here.
      const row = await tx.assessment.create({
        data: {
          claimId,
          version,
          probability: input.probability,
          confidence: input.confidence,
          rationale: input.rationale,
          createdById,
          createdAt: at,
          ...(evidenceIds.length > 0 ? { evidence: { create: evidenceIds.map((evidenceId) => ({ evidenceId })) } } : {}),
        },
        select: { id: true, createdAt: true },
      });
      await tx.claim.update({ where: { id: claimId }, data: { currentVersion: version, currentProbability: input.probability, updatedAt: at } });
      const response = toAssessmentResponse({
        ...input,
        ...row,
        claimId,
        version,
        createdById,
        createdBy: { name: actor.kind === 'user' ? actor.name : '' },
        evidence: [...evidenceIds].sort().map((evidenceId) => ({ evidenceId })),
      });
      await this.audit.record(tx, actor, { at, action: 'assessment.create', entityType: 'assessment', entityId: row.id, after: response });
      return response;
    });
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
