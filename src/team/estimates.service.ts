import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { auditActor } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { revisedVersion } from '../common/base-version.js';
import { GroupedWrites } from '../common/grouped-writes.js';
import type { WriteOptions } from '../common/write-options.js';
import { archivedClaim, conflict, unprocessable } from '../common/problem.js';
import { AppConfig } from '../config/app-config.service.js';
import { ConfidenceService } from '../confidence/confidence.service.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import type { AnalyticConfidence } from '../generated/prisma/enums.js';
import type { CreateEstimateDto, WithdrawEstimateDto } from './dto/create-estimate.dto.js';
import { toEstimateResponse, type EstimateResponse } from './dto/estimate.response.js';
import { EstimatesRepository, type EstimateOutcome, type NewEstimate } from './estimates.repository.js';

const NAME_YOUR_BASE = 'Name the version of your estimate you revise: baseVersion in the body (0 for your first), or If-Match: "<version>".';

/** Analysts' own estimates: each analyst's chain per claim, written like assessment versions. */
@Injectable()
export class EstimatesService {
  /** Estimates asked for in the same moment, one statement per group of distinct claims (see GroupedWrites). */
  private readonly writes = new GroupedWrites<NewEstimate, EstimateOutcome>(
    (estimate) => estimate.claimId,
    (estimates) => this.repository.create(estimates, this.config.consensusExtremizing),
  );

  constructor(
    private readonly repository: EstimatesRepository,
    private readonly confidence: ConfidenceService,
    private readonly config: AppConfig,
    private readonly events: DatabaseEvents,
  ) {}

  /** Appends the next version of the analyst's own chain; of several written from one base, exactly one wins. */
  create(actor: Principal, claimId: string, input: CreateEstimateDto, ifMatchVersion?: number, { at }: WriteOptions = {}): Promise<EstimateResponse> {
    const { probability, confidence, rationale, evidenceIds } = input;
    const base = revisedVersion(input.baseVersion, ifMatchVersion, NAME_YOUR_BASE);
    return this.append(actor, claimId, base, { probability, confidence, rationale, evidenceIds: evidenceIds ?? [], withdrawn: false }, at);
  }

  /** A new version that withdraws the analyst's estimate: they no longer count in the consensus. */
  withdraw(actor: Principal, claimId: string, input: WithdrawEstimateDto, ifMatchVersion?: number): Promise<EstimateResponse> {
    const base = revisedVersion(input.baseVersion, ifMatchVersion, NAME_YOUR_BASE);
    return this.append(actor, claimId, base, { probability: null, confidence: null, rationale: input.rationale ?? '', evidenceIds: [], withdrawn: true });
  }

  /** Every analyst's chain on the claim (in force at `asOf`), if `viewer` may see them (blind first). */
  async list(viewer: Principal, claimId: string, asOf?: Date): Promise<EstimateResponse[]> {
    const [answer] = await this.confidence.current([claimId], viewer);
    if (!answer) throw new NotFoundException(`Claim ${claimId} not found.`);
    if (answer.team.hidden) {
      throw new ForbiddenException(
        viewer.kind === 'user' && viewer.role !== 'viewer'
          ? `This claim is blind: record your own estimate first (POST /claims/${claimId}/estimates); then you see your colleagues'.`
          : 'This claim is blind: its estimates are shown once two analysts have recorded theirs.',
      );
    }
    return (await this.repository.chains(claimId, asOf)).map(toEstimateResponse);
  }

  private async append(
    actor: Principal,
    claimId: string,
    baseVersion: number,
    fields: { probability: number | null; confidence: AnalyticConfidence | null; rationale: string; evidenceIds: string[]; withdrawn: boolean },
    at = new Date(),
  ): Promise<EstimateResponse> {
    if (actor.kind !== 'user') throw new ForbiddenException('API keys are read-only.');
    const response = toEstimateResponse({
      id: randomUUID(),
      claimId,
      analystId: actor.id,
      analyst: actor.name,
      version: baseVersion + 1,
      ...fields,
      evidenceIds: [...fields.evidenceIds].sort(),
      createdAt: at,
    });
    const outcome = await this.writes.write({
      ...response,
      baseVersion,
      at: response.createdAt,
      actorLabel: auditActor(actor).actorLabel,
      after: response,
    });
    switch (outcome.verdict) {
      case 'written':
        break;
      case 'missing':
        throw new NotFoundException(`Claim ${claimId} not found.`);
      case 'archived':
        throw archivedClaim(claimId);
      case 'resolved':
        throw conflict(`Claim ${claimId} is resolved; it takes no new estimates. Re-open it first: DELETE /claims/${claimId}/resolution.`);
      case 'nothing':
        throw conflict('You have no estimate on this claim to withdraw.', { currentVersion: outcome.currentVersion });
      case 'stale': {
        const current = outcome.currentVersion ? await this.repository.version(claimId, actor.id, outcome.currentVersion) : undefined;
        throw conflict(
          `Your estimate of this claim is at version ${outcome.currentVersion}, not ${baseVersion} (another tab or client of yours wrote since). Review it and resubmit with baseVersion ${outcome.currentVersion}.`,
          { currentVersion: outcome.currentVersion, current: current ? toEstimateResponse(current) : null },
        );
      }
      case 'evidence':
        throw unprocessable('evidenceIds', 'every id must be current (not archived) evidence of this claim');
    }
    this.events.changed('claims', claimId);
    return response;
  }
}
