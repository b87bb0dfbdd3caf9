import { unprocessable } from '../common/problem.js';
import { Injectable, NotFoundException } from '@nestjs/common';
import { inconsistencyScores, nonDiagnostic } from '../analysis/ach.js';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { BY_ID, cursorAfter, rowsAfter, toPage, type Page, type PageQueryDto } from '../common/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import type { CreateQuestionDto } from './dto/create-question.dto.js';
import type { QuestionResponse, QuestionSummary } from './dto/question.response.js';
import type { RateEvidenceDto } from './dto/rate-evidence.dto.js';

@Injectable()
export class QuestionsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Principal, input: CreateQuestionDto): Promise<QuestionResponse> {
    const id = await this.prisma.$transaction(async (tx) => {
      const found = await tx.claim.count({ where: { id: { in: input.hypothesisIds }, archivedAt: null } });
      if (found !== input.hypothesisIds.length) throw unprocessable('hypothesisIds', 'every hypothesis must be a current claim');
      const question = await tx.question.create({
        data: {
          title: input.title,
          description: input.description,
          createdById: actorId(actor),
          hypotheses: { create: input.hypothesisIds.map((claimId, position) => ({ claimId, position })) },
        },
      });
      await this.audit.record(tx, actor, { action: 'question.create', entityType: 'question', entityId: question.id, after: input });
      return question.id;
    });
    return this.get(id);
  }

  async list(query: PageQueryDto): Promise<Page<QuestionSummary>> {
    const [rows, total] = await Promise.all([
      this.prisma.question.findMany({
        where: rowsAfter(query.cursor, BY_ID),
        orderBy: { id: 'asc' },
        take: query.limit + 1,
        select: { id: true, title: true, createdAt: true },
      }),
      this.prisma.question.count(),
    ]);
    return toPage(rows, total, query.limit, (row) => cursorAfter(BY_ID, row.id), (row) => row);
  }

  /** The ACH matrix: every current evidence item of the hypotheses, its ratings, and each hypothesis's score. */
  async get(id: string): Promise<QuestionResponse> {
    const question = await this.prisma.question.findUnique({
      where: { id },
      include: {
        hypotheses: { orderBy: { position: 'asc' }, include: { claim: { select: { statement: true } } } },
        ratings: true,
      },
    });
    if (!question) throw new NotFoundException(`Question ${id} not found.`);
    const hypotheses = question.hypotheses.map((h) => h.claimId);
    const evidence = await this.prisma.evidence.findMany({
      where: { claimId: { in: hypotheses }, archivedAt: null },
      include: { source: { select: { reliability: true } } },
      orderBy: [{ claimId: 'asc' }, { createdAt: 'asc' }],
    });
    const scores = inconsistencyScores(hypotheses, new Map(evidence.map((e) => [e.id, e.credibility])), question.ratings);
    const alike = nonDiagnostic(hypotheses, question.ratings);
    return {
      id: question.id,
      title: question.title,
      description: question.description,
      createdById: question.createdById,
      createdAt: question.createdAt,
      hypotheses: question.hypotheses.map((h) => ({ claimId: h.claimId, statement: h.claim.statement, inconsistencyScore: scores.get(h.claimId)! })),
      evidence: evidence.map((e) => ({
        evidenceId: e.id,
        claimId: e.claimId,
        quote: e.quote,
        grade: `${e.source.reliability}${e.credibility}`,
        diagnostic: !alike.has(e.id),
        ratings: question.ratings
          .filter((r) => r.evidenceId === e.id)
          .map(({ claimId, consistency, relevance }) => ({ claimId, consistency, relevance })),
      })),
    };
  }

  /** Sets cells of the matrix; each must pair evidence of the hypotheses with one of them. */
  async rate(actor: Principal, id: string, input: RateEvidenceDto): Promise<QuestionResponse> {
    await this.prisma.$transaction(async (tx) => {
      const question = await tx.question.findUnique({ where: { id }, include: { hypotheses: true } });
      if (!question) throw new NotFoundException(`Question ${id} not found.`);
      const hypotheses = new Set(question.hypotheses.map((h) => h.claimId));
      const evidenceIds = [...new Set(input.ratings.map((r) => r.evidenceId))];
      const known = await tx.evidence.count({ where: { id: { in: evidenceIds }, claimId: { in: [...hypotheses] }, archivedAt: null } });
      for (const [index, rating] of input.ratings.entries()) {
        if (!hypotheses.has(rating.claimId)) throw unprocessable(`ratings[${index}].claimId`, 'must be one of the question\'s hypotheses');
      }
      if (known !== evidenceIds.length) throw unprocessable('ratings', 'every evidenceId must be current evidence of one of the hypotheses');
      for (const rating of input.ratings) {
        const key = { questionId: id, evidenceId: rating.evidenceId, claimId: rating.claimId };
        const values = { consistency: rating.consistency, relevance: rating.relevance ?? 'medium' };
        await tx.achRating.upsert({ where: { questionId_evidenceId_claimId: key }, create: { ...key, ...values }, update: values });
      }
      await this.audit.record(tx, actor, { action: 'question.rate', entityType: 'question', entityId: id, after: input });
    });
    return this.get(id);
  }
}
