import { Injectable } from '@nestjs/common';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { AssessmentsService } from '../assessments/assessments.service.js';
import type { Principal } from '../auth/principal.js';
import { apiKeyPrefix, newApiKey, randomToken } from '../auth/secrets.js';
import { ClaimsService } from '../claims/claims.service.js';
import { foldStatement } from '../common/text.js';
import { PrismaService } from '../database/prisma.service.js';
import { EvidenceService } from '../evidence/evidence.service.js';
import { OriginatorsService } from '../provenance/originators.service.js';
import type { Role } from '../generated/prisma/enums.js';
import { SourcesService } from '../sources/sources.service.js';
import { UsersService } from '../users/users.service.js';
import { QuestionsService } from '../questions/questions.service.js';
import { groupBy } from '../common/group-by.js';
import { BlindTopicsService } from '../team/blind-topics.service.js';
import { EstimatesService } from '../team/estimates.service.js';
import { loadSeedData, readArticle, type SeedClaim, type SeedQuestion } from './seed-data.js';

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@claimtrack.local', name: 'Demo Admin', role: 'admin' },
  { email: 'analyst@claimtrack.local', name: 'Demo Analyst', role: 'analyst' },
  { email: 'analyst2@claimtrack.local', name: 'Demo Analyst Two', role: 'analyst' },
  { email: 'viewer@claimtrack.local', name: 'Demo Viewer', role: 'viewer' },
];
export const DEMO_KEY_NAME = 'demo read-confidence key';

/** Disabled accounts that author the imported history; nobody can sign in as them. */
const SEED_ANALYSTS = [
  { email: 'seed.analyst1@claimtrack.local', name: 'Seed Analyst 1' },
  { email: 'seed.analyst2@claimtrack.local', name: 'Seed Analyst 2' },
  { email: 'seed.analyst3@claimtrack.local', name: 'Seed Analyst 3' },
];

export interface SeedCounts {
  sources: number;
  claims: number;
  appearances: number;
  evidence: number;
  assessments: number;
  estimates: number;
  originators: number;
  /** Evidence items with an attribution. */
  attributed: number;
}

export interface DemoCredentials {
  accounts: { email: string; role: Role; password: string }[];
  apiKey?: string;
}

/**
 * Loads seed/ through the same services as the API, so every rule applies. Each
 * record is looked up before it is created, so running it again changes nothing.
 */
@Injectable()
export class SeedService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
    private readonly sources: SourcesService,
    private readonly claims: ClaimsService,
    private readonly evidence: EvidenceService,
    private readonly assessments: AssessmentsService,
    private readonly questions: QuestionsService,
    private readonly estimates: EstimatesService,
    private readonly blindTopics: BlindTopicsService,
    private readonly originators: OriginatorsService,
  ) {}

  async seedContent(): Promise<SeedCounts> {
    const data = await loadSeedData();
    const authors = await Promise.all(SEED_ANALYSTS.map((analyst) => this.seedAnalyst(analyst.email, analyst.name)));
    const sourceIds = new Map<string, { id: string; at: Date }>();
    for (const source of data.sources) {
      const at = new Date(source.at);
      const { key, file, at: _, ...fields } = source;
      const existing = await this.prisma.source.findFirst({ where: { title: source.title }, select: { id: true } });
      const id = existing?.id ?? (await this.sources.create(authors[0], { ...fields, fullText: await readArticle(file) }, { at })).id;
      sourceIds.set(key, { id, at });
    }
    // Recorded as of the first article, before any attribution to them.
    const firstArticle = new Date(Math.min(...[...sourceIds.values()].map((source) => source.at.getTime())));
    const originatorIds = new Map<string, string>();
    for (const { key, ...originator } of data.originators) {
      const existing = await this.prisma.originator.findFirst({ where: { name: originator.name, mergedIntoId: null }, select: { id: true } });
      originatorIds.set(key, existing?.id ?? (await this.originators.create(authors[0], originator, { at: firstArticle })).id);
    }
    const claimIds = new Map<string, { id: string; evidenceIds: string[] }>();
    for (const claim of data.claims) claimIds.set(claim.key, await this.seedClaim(claim, authors, sourceIds, originatorIds));
    for (const question of data.questions) await this.seedQuestion(question, authors[1], claimIds);
    for (const topic of data.blindTopics) await this.blindTopics.blind(authors[0], topic);
    return this.counts();
  }

  /**
   * Creates the demo users (each with `password`, or a random one) and the read-confidence
   * key when missing. Given a `password`, demo users that have another one get it (so
   * `DEMO_PASSWORD=… npm run seed` recovers lost demo credentials). Returns what it set.
   */
  async seedDemoAccounts(password?: string, apiKey?: string): Promise<DemoCredentials> {
    const created: DemoCredentials = { accounts: [] };
    for (const account of DEMO_ACCOUNTS) {
      const accountPassword = password ?? randomToken(12);
      if (
        (await this.users.ensureUser({ ...account, password: accountPassword })) ||
        (password !== undefined && (await this.users.resetPassword(account.email, password, { unlessAlready: true })))
      ) {
        created.accounts.push({ email: account.email, role: account.role, password: accountPassword });
      }
    }
    if (!(await this.prisma.apiKey.findFirst({ where: { name: DEMO_KEY_NAME, revokedAt: null } }))) {
      const admin = await this.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS[0].email } });
      const key = apiKey ? { key: apiKey, prefix: apiKeyPrefix(apiKey)! } : newApiKey();
      const principal: Principal = { kind: 'user', id: admin.id, email: admin.email, name: admin.name, role: admin.role };
      created.apiKey = (await this.apiKeys.create(principal, { name: DEMO_KEY_NAME, scopes: ['read_confidence'] }, key)).key;
    }
    return created;
  }

  async counts(): Promise<SeedCounts> {
    const [sources, claims, appearances, evidence, assessments, estimates, originators, attributed] = await Promise.all([
      this.prisma.source.count(),
      this.prisma.claim.count(),
      this.prisma.claimAppearance.count(),
      this.prisma.evidence.count(),
      this.prisma.assessment.count(),
      this.prisma.estimate.count(),
      this.prisma.originator.count(),
      this.prisma.evidence.count({ where: { originatorId: { not: null } } }),
    ]);
    return { sources, claims, appearances, evidence, assessments, estimates, originators, attributed };
  }

  private async seedQuestion(question: SeedQuestion, author: Principal, claims: Map<string, { id: string; evidenceIds: string[] }>): Promise<void> {
    if (await this.prisma.question.findFirst({ where: { title: question.title }, select: { id: true } })) return;
    const created = await this.questions.create(author, {
      title: question.title,
      description: question.description,
      hypothesisIds: question.hypotheses.map((key) => claims.get(key)!.id),
    });
    const ratings = question.ratings.flatMap((row) =>
      Object.entries(row.ratings).map(([hypothesis, [consistency, relevance]]) => ({
        evidenceId: claims.get(row.claim)!.evidenceIds[row.evidence],
        claimId: claims.get(hypothesis)!.id,
        consistency,
        relevance,
      })),
    );
    await this.questions.rate(author, created.id, { ratings });
  }

  private async seedClaim(
    claim: SeedClaim,
    authors: Principal[],
    sourceIds: Map<string, { id: string; at: Date }>,
    originatorIds: Map<string, string>,
  ): Promise<{ id: string; evidenceIds: string[] }> {
    const source = (key: string) => sourceIds.get(key)!;
    const originatorId = (key: string | undefined) => (key === undefined ? undefined : originatorIds.get(key)!);
    // Tracked from the first article that bears on it, even if the claim itself is quoted later.
    const firstSeen = new Date(
      Math.min(
        ...[...claim.appearances, ...claim.evidence].map((item) => source(item.source).at.getTime()),
        ...claim.assessments.map((assessment) => Date.parse(assessment.at)),
      ),
    );
    const existing = await this.prisma.claim.findUnique({ where: { statementKey: foldStatement(claim.statement) } });
    const claimId =
      existing?.id ??
      (
        await this.claims.create(
          authors[0],
          {
            statement: claim.statement,
            topics: claim.topics,
            entities: claim.entities,
            status: claim.status,
            appearances: claim.appearances.map((a) => ({ sourceId: source(a.source).id, quote: a.quote, originatorId: originatorId(a.originator) })),
          },
          { at: firstSeen },
        )
      ).id;

    const evidenceIds: string[] = [];
    for (const item of claim.evidence) {
      const { id: sourceId, at } = source(item.source);
      const found = await this.prisma.evidence.findFirst({
        where: { claimId, sourceId, quote: item.quote, stance: item.stance },
        select: { id: true },
      });
      const input = {
        sourceId, stance: item.stance, quote: item.quote, credibility: item.credibility, diagnosticity: item.diagnosticity, originatorId: originatorId(item.originator),
      };
      evidenceIds.push(found?.id ?? (await this.evidence.create(authors[0], claimId, input, { at })).id);
    }

    const { currentVersion, resolvedAt } = await this.prisma.claim.findUniqueOrThrow({
      where: { id: claimId },
      select: { currentVersion: true, resolvedAt: true },
    });
    for (const [index, assessment] of claim.assessments.entries()) {
      if (index < currentVersion) continue;
      await this.assessments.create(
        authors[assessment.by - 1],
        claimId,
        {
          probability: assessment.probability,
          confidence: assessment.confidence,
          rationale: assessment.rationale,
          evidenceIds: assessment.evidence.map((i) => evidenceIds[i]),
          baseVersion: index,
        },
        undefined,
        { at: new Date(assessment.at) },
      );
    }
    for (const [by, chain] of groupBy(claim.estimates ?? [], (estimate) => estimate.by)) {
      const author = authors[by - 1];
      const written = await this.prisma.estimate.count({ where: { claimId, analystId: author.id } });
      for (const [index, estimate] of chain.entries()) {
        if (index < written) continue;
        const { probability, confidence, rationale } = estimate;
        const evidence = estimate.evidence.map((i) => evidenceIds[i]);
        await this.estimates.create(author, claimId, { probability, confidence, rationale, evidenceIds: evidence, baseVersion: index }, undefined, { at: new Date(estimate.at) });
      }
    }
    if (claim.resolution && !resolvedAt) {
      const { outcome, at, source: key, note } = claim.resolution;
      await this.claims.resolve(authors[0], claimId, { outcome, resolvedAt: at, sourceId: source(key).id, note });
    }
    return { id: claimId, evidenceIds };
  }

  private async seedAnalyst(email: string, name: string): Promise<Principal> {
    await this.users.ensureUser({ email, name, role: 'analyst', password: randomToken(24) }, { disabled: true });
    const user = await this.prisma.user.findUniqueOrThrow({ where: { email } });
    return { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role };
  }
}
