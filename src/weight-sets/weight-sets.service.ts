import { Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_WEIGHTS } from '../analysis/evidence-weight.js';
import { fitWeights, FIT_MIN_CLAIMS, isHeldOut, meanLogScore, type ResolvedCase } from '../analysis/weight-fit.js';
import { AuditService, auditActor } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { groupBy } from '../common/group-by.js';
import { conflict, unprocessable } from '../common/problem.js';
import { Transactions } from '../database/transactions.js';
import { CorroborationService } from '../provenance/corroboration.service.js';
import { toWeightSetResponse, type WeightSetActivationResponse, type WeightSetResponse } from './dto/weight-set.response.js';
import { WeightSetsRepository } from './weight-sets.repository.js';

/** Claims reweighed per transaction when a set is activated: each batch holds its claims' locks for one short write. */
const BATCH = 500;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Weight sets: the default scale, sets fitted to resolved claims (src/analysis/weight-fit.ts), and
 * which is in force. A fit only proposes; an admin activates, and then every claim is reweighed.
 *
 * Activation commits first, then reweighs every claim in batches. A writer reweighing a claim
 * reads the set in force after locking the claim: one that read the old set still held the lock
 * when activation committed, so the batch that reaches its claim waits for it and reweighs it
 * again; one that locks later reads the new set. An instance that stops in between finishes the
 * batches when it starts again (the activation is marked done only at the end).
 */
@Injectable()
export class WeightSetsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WeightSetsService.name);
  private fitting = false;

  constructor(
    private readonly repository: WeightSetsRepository,
    private readonly corroboration: CorroborationService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.ensureDefault(DEFAULT_WEIGHTS);
    const unfinished = await this.repository.unfinishedActivation();
    if (unfinished) {
      this.logger.log(`Finishing the reweighing of weight set ${unfinished.weightSetId}'s activation.`);
      void this.recompute(unfinished.id, null).catch((error: unknown) => this.logger.error(`Reweighing after activation failed: ${String(error)}`));
    }
  }

  async list(): Promise<WeightSetResponse[]> {
    return (await this.repository.list()).map(toWeightSetResponse);
  }

  async find(id: string): Promise<WeightSetResponse> {
    const row = await this.repository.find(id);
    if (!row) throw new NotFoundException(`Weight set ${id} not found.`);
    return toWeightSetResponse(row);
  }

  /** Fits a set to the resolved claims (a fifth held out) and stores it, inactive, scored against the active set. */
  async fitToResolvedClaims(actor: Principal): Promise<WeightSetResponse> {
    if (this.fitting) throw conflict('A fit is already running; ask again when it has finished.');
    this.fitting = true;
    try {
      const { cases, items } = await this.repository.resolvedCases();
      if (cases.length < FIT_MIN_CLAIMS) {
        throw unprocessable('claims', `A fit needs at least ${FIT_MIN_CLAIMS} resolved claims with evidence for or against in force at their resolution; there are ${cases.length}.`);
      }
      const itemsOf = groupBy(items, (item) => item.claimId);
      const all = cases.map((c): ResolvedCase => ({ ...c, items: itemsOf.get(c.id) ?? [] }));
      const training = all.filter((c) => !isHeldOut(c.id));
      const heldOut = all.filter((c) => isHeldOut(c.id));
      const [fit, active] = await Promise.all([fitWeights(training), this.corroboration.activeWeights()]);
      return await this.transactions.write(async (tx) => {
        const id = await this.repository.create(
          tx,
          {
            kind: 'fitted',
            ...fit.weights,
            converged: fit.converged,
            iterations: fit.iterations,
            trainingClaims: training.length,
            heldOutClaims: heldOut.length,
            heldOutLogScore: meanLogScore(heldOut, fit.weights),
            baselineLogScore: meanLogScore(heldOut, active),
            baselineSetId: active.id,
          },
          auditActor(actor),
        );
        const set = toWeightSetResponse((await this.repository.find(id, tx))!);
        await this.audit.record(tx, actor, { action: 'weight-set.fit', entityType: 'weight_set', entityId: id, before: null, after: { ...set } });
        return set;
      });
    } finally {
      this.fitting = false;
    }
  }

  /** Makes a fitted set the one in force, then reweighs every claim with it. */
  async activate(actor: Principal, id: string): Promise<WeightSetActivationResponse> {
    const activationId = await this.transactions.write(async (tx) => {
      const set = await this.repository.find(id, tx);
      if (!set) throw new NotFoundException(`Weight set ${id} not found.`);
      if (!set.converged) throw unprocessable('id', `Weight set ${set.version} was not fitted: its fit did not converge, so it cannot be activated.`);
      if (set.active) throw conflict(`Weight set ${set.version} is already active.`);
      const activation = await this.repository.activate(tx, id, auditActor(actor));
      await this.audit.record(tx, actor, { action: 'weight-set.activate', entityType: 'weight_set', entityId: id, before: null, after: { version: set.version } });
      return activation;
    });
    const { claims, changed } = await this.recompute(String(activationId), actor);
    return { ...(await this.find(id)), recomputedClaims: claims, changedClaims: changed };
  }

  /** Reweighs every claim with the set in force, in batches in id order; marks the activation done. */
  private async recompute(activationId: string, actor: Principal | null): Promise<{ claims: number; changed: number }> {
    let [claims, changed, after] = [0, 0, FIRST_ID];
    for (let batch = await this.repository.claimsAfter(after, BATCH); batch.length > 0; batch = await this.repository.claimsAfter(after, BATCH)) {
      changed += await this.transactions.write(async (tx, markChanged) => {
        const reweighed = await this.corroboration.reweigh(tx, batch, { cause: 'weight-set', actor });
        for (const claimId of reweighed.changed) markChanged('claims', claimId);
        return reweighed.changed.length;
      });
      claims += batch.length;
      after = batch[batch.length - 1];
    }
    await this.repository.recomputed(activationId);
    return { claims, changed };
  }
}
