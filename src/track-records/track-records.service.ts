import { Injectable, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { consensus, trackRecordWeight } from '../analysis/consensus.js';
import { agreement, aggregate, murphy, peerScore, scoreClaim, wilson, type ClaimScore, type Step } from '../analysis/track-record.js';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { CachedLookup } from '../common/cached-lookup.js';
import { groupBy } from '../common/group-by.js';
import { AppConfig } from '../config/app-config.service.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { Transactions, type Tx } from '../database/transactions.js';
import type { Reliability } from '../generated/prisma/enums.js';
import { earnedGrade, SUGGESTION_MIN_ITEMS } from '../vocabulary/admiralty.js';
import { ESTIMATIVE_TERMS, estimativeTerm } from '../vocabulary/estimative.js';
import type {
  AgreementRecord, CalibrationBand, CalibrationResponse, ForecasterClaim, ForecasterKind, ForecasterRecord, TopicCalibration,
} from './dto/track-record.response.js';
import { TrackRecordsRepository, type ScoredRow, type ScoreRow, type StepRow } from './track-records.repository.js';

/** A forecaster's scored claim, as the aggregates read it. */
type Scored = ClaimScore & { claimId: string; outcome: boolean; resolvedAt: Date; topics: string[]; peer: number | null; versions: number };

interface Forecaster {
  id: string;
  kind: ForecasterKind;
  name: string;
  scored: Scored[];
  /** Its summary, as listed. */
  record: ForecasterRecord;
}

/** Everything track records answer, from the stored scores (the calibration when first asked for). */
interface Records {
  forecasters: Forecaster[];
  calibration?: CalibrationResponse;
}

const TEAM: Record<Exclude<ForecasterKind, 'analyst'>, string> = {
  record: "The team's record (assessments)",
  consensus: "The team's consensus (analysts' estimates pooled)",
  evidence: 'The evidence model (evidence-weighted probability)',
};

/** Steps by claim, in the order the repository gave them. */
const seriesOf = (rows: StepRow[]) => new Map([...groupBy(rows, (row) => row.claimId)].map(([claimId, steps]) => [claimId, steps.map(({ at, probability }): Step => ({ at, probability }))]));

/**
 * Track records: every forecaster scored over the time each forecast was in force (see
 * src/analysis/track-record.ts). A claim's scores change only with its resolution, so they are
 * written then, in the resolving transaction (`rescore`), and read back together; the answers
 * are cached until a claim changes.
 */
@Injectable()
export class TrackRecordsService implements OnApplicationBootstrap {
  private readonly cache: CachedLookup<Records>;

  constructor(
    private readonly repository: TrackRecordsRepository,
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    events: DatabaseEvents,
  ) {
    this.cache = new CachedLookup(events, 'claims', { max: 1, ttl: 600_000, perKey: false });
  }

  /**
   * Writes the claims' forecasters' scores (in the caller's transaction, after a resolution,
   * an annulment or a re-opening changed them): resolved claims are scored, others lose theirs.
   */
  async rescore(tx: Tx, claimIds: string[]): Promise<void> {
    const claims = await this.repository.resolvedOf(tx, claimIds);
    const { estimates, record, evidence } = await this.repository.steps(tx, claims.map((c) => c.id));
    const teamOf = this.consensusSeries(estimates);
    const recordOf = seriesOf(record);
    const series: { kind: ForecasterKind; series: Map<string, Step[]>; forecaster: (claimId: string) => string; peers: boolean }[] = [
      ...[...groupBy(estimates, (row) => row.forecasterId)].map(([analystId, rows]) => ({ kind: 'analyst' as const, series: seriesOf(rows), forecaster: () => analystId, peers: true })),
      { kind: 'record', series: recordOf, forecaster: () => 'record', peers: false },
      { kind: 'consensus', series: teamOf, forecaster: () => 'consensus', peers: false },
      { kind: 'evidence', series: seriesOf(evidence), forecaster: () => 'evidence', peers: true },
    ];
    const rows: ScoreRow[] = [];
    for (const claim of claims) {
      // Against the team: the consensus where it exists, else the record.
      const team = teamOf.get(claim.id) ?? recordOf.get(claim.id);
      for (const { kind, series: of, forecaster, peers } of series) {
        const steps = of.get(claim.id);
        const score = steps && scoreClaim(steps, claim.createdAt, claim.resolvedAt, claim.outcome);
        if (!steps || !score) continue;
        const peer = peers && team ? peerScore(steps, team, claim.createdAt, claim.resolvedAt, claim.outcome) : null;
        rows.push({ claimId: claim.id, forecaster: forecaster(claim.id), kind, ...score, peer, versions: steps.length });
      }
    }
    await this.repository.writeScores(tx, claimIds, rows);
  }

  /**
   * Each analyst's weight in the consensus: with CONSENSUS_WEIGHTING=track-record from their
   * track record (`trackRecordWeight`), else 1; the consensus of every claim whose analysts'
   * weights moved is recomputed (and announced). Run at start-up and after each change to a
   * resolution, in its own transaction.
   */
  async refreshWeights(): Promise<void> {
    const weights = new Map<string, number>();
    if (this.config.consensusWeighting === 'track-record') {
      for (const f of (await this.records()).forecasters) if (f.kind === 'analyst') weights.set(f.id, trackRecordWeight(f.record.claims, f.record.peerScore));
    }
    await this.transactions.write(async (tx, changed) => {
      const moved = await this.repository.setWeights(tx, weights);
      if (moved.length === 0) return;
      for (const claimId of await this.repository.refreshTeams(tx, moved, this.config.consensusExtremizing)) changed('claims', claimId);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refreshWeights();
  }

  async analysts(): Promise<ForecasterRecord[]> {
    return (await this.records()).forecasters.map((f) => f.record);
  }

  /** One analyst's (or the record's, consensus's, evidence model's) scored claims. */
  async forecaster(id: string): Promise<ForecasterRecord & { scoredClaims: ForecasterClaim[] }> {
    const found = (await this.records()).forecasters.find((f) => f.id === id);
    if (!found) throw new NotFoundException(`No track record for ${id}: no forecasts on resolved claims.`);
    return {
      ...found.record,
      scoredClaims: found.scored.map((s) => ({
        claimId: s.claimId,
        outcome: s.outcome,
        resolvedAt: s.resolvedAt,
        brierScore: s.brier,
        logScore: s.log,
        coverage: s.coverage,
        peerScore: s.peer,
        meanProbability: s.meanProbability,
        versions: s.versions,
      })),
    };
  }

  /** Calibration of the team's record (overall and per topic) and of each analyst, time-weighted. */
  async calibration(): Promise<CalibrationResponse> {
    const records = await this.records();
    records.calibration ??= calibrationOf(records.forecasters);
    return records.calibration;
  }

  /** Sources' (or originators') agreement with outcomes, and the grade their record earns. */
  async agreement(kind: 'source' | 'originator'): Promise<AgreementRecord[]> {
    const rows = await (kind === 'source' ? this.repository.sourceAgreement() : this.repository.originatorAgreement());
    return rows.map(({ dismissed, ...row }) => {
      const posterior = agreement(row.agreed, row.items);
      const earned = row.items >= SUGGESTION_MIN_ITEMS ? earnedGrade(posterior.mean) : null;
      return { ...row, mean: posterior.mean, low: posterior.low, high: posterior.high, suggestedReliability: earned && earned !== row.reliability && !dismissed.includes(earned) ? earned : null };
    });
  }

  /** Dismisses the grade a record suggests for a source or originator: it is not suggested again (a different one may be). */
  async dismissSuggestion(actor: Principal, kind: 'source' | 'originator', id: string, reliability: Reliability): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const exists = kind === 'source' ? await tx.source.count({ where: { id } }) : await tx.originator.count({ where: { id } });
      if (!exists) throw new NotFoundException(`No ${kind} ${id}.`);
      await tx.gradeSuggestionDismissal.upsert({
        where: { entityType_entityId_reliability: { entityType: kind, entityId: id, reliability } },
        create: { entityType: kind, entityId: id, reliability, dismissedById: actorId(actor) },
        update: {},
      });
      await this.audit.record(tx, actor, { action: 'grade-suggestion.dismiss', entityType: kind, entityId: id, after: { reliability } });
    });
  }

  private async records(): Promise<Records> {
    return (await this.cache.get('all', () => this.read()))!;
  }

  private async read(): Promise<Records> {
    // Claims resolved before scores were kept (or written behind the service's back) are scored once, here.
    const unscored = await this.repository.unscored();
    for (let i = 0; i < unscored.length; i += 1000) await this.prisma.$transaction((tx) => this.rescore(tx, unscored.slice(i, i + 1000)));
    const rows = await this.repository.scores();
    const byForecaster = groupBy(rows, (row) => row.forecaster);
    const names = new Map((await this.repository.analysts([...byForecaster.keys()])).map((u) => [u.id, u.name]));
    const forecasters = [...byForecaster].map(([id, own]) => {
      const kind = own[0].kind as ForecasterKind;
      const scored = own.map(toScored);
      const name = kind === 'analyst' ? (names.get(id) ?? id) : TEAM[kind];
      return { id, kind, name, scored, record: toRecord(id, kind, name, scored) };
    });
    for (const kind of ['record', 'consensus', 'evidence'] as const) {
      if (!byForecaster.has(kind)) forecasters.push({ id: kind, kind, name: TEAM[kind], scored: [], record: toRecord(kind, kind, TEAM[kind], []) });
    }
    return { forecasters: forecasters.sort((a, b) => (a.record.brierScore ?? 1) - (b.record.brierScore ?? 1)) };
  }

  /** The consensus in force over time: after each estimate, the pool of every analyst's latest. */
  private consensusSeries(rows: StepRow[]): Map<string, Step[]> {
    const series = new Map<string, Step[]>();
    for (const [claimId, claimRows] of groupBy(rows, (row) => row.claimId)) {
      const latest = new Map<string, number | null>();
      const steps: Step[] = [];
      for (const row of [...claimRows].sort((a, b) => a.at - b.at)) {
        latest.set(row.forecasterId, row.probability);
        const pool = [...latest.values()].filter((p): p is number => p !== null).map((probability) => ({ probability }));
        steps.push({ at: row.at, probability: consensus(pool, this.config.consensusExtremizing)?.probability ?? null });
      }
      series.set(claimId, steps);
    }
    return series;
  }
}

const toScored = (row: ScoredRow): Scored => ({
  claimId: row.claimId, outcome: row.outcome, resolvedAt: row.resolvedAt, topics: row.topics, brier: row.brier, log: row.log,
  seconds: row.seconds, coverage: row.coverage, meanProbability: row.meanProbability, peer: row.peer, versions: row.versions,
});

/** Calibration of the team's record (overall and per topic) and of each analyst, time-weighted. */
function calibrationOf(forecasters: Forecaster[]): CalibrationResponse {
  const scored = forecasters.find((f) => f.kind === 'record')?.scored ?? [];
  const overall = aggregate(scored);
  const topics = [...new Set(scored.flatMap((s) => s.topics))].sort();
  const bands = bandsOf(scored);
  const published = (weighted: ReturnType<typeof bandsOf>): CalibrationBand[] => weighted.map(({ weight: _, ...band }) => band);
  return {
    claims: scored.length,
    forecasts: scored.reduce((sum, s) => sum + s.versions, 0),
    brierScore: overall?.brier ?? null,
    logScore: overall?.log ?? null,
    murphy: murphy(bands.filter((b) => b.claims > 0).map((b) => ({ weight: b.weight, meanForecast: b.meanProbability!, observed: b.observedFrequency! }))),
    bands: published(bands),
    analysts: forecasters.filter((f) => f.kind === 'analyst').map((f) => ({ ...f.record, bands: published(bandsOf(f.scored)) })),
    topics: topics.map((topic): TopicCalibration => {
      const own = scored.filter((s) => s.topics.includes(topic));
      return { topic, claims: own.length, brierScore: aggregate(own)?.brier ?? null, bands: published(bandsOf(own)) };
    }),
  };
}

function toRecord(id: string, kind: ForecasterKind, name: string, scored: Scored[]): ForecasterRecord {
  const overall = aggregate(scored);
  const peers = scored.filter((s) => s.peer !== null);
  return {
    id,
    kind,
    name,
    claims: scored.length,
    brierScore: overall?.brier ?? null,
    logScore: overall?.log ?? null,
    coverage: overall?.coverage ?? null,
    peerScore: peers.length ? aggregate(peers.map((s) => ({ ...s, log: s.peer! })))!.log : null,
  };
}

/**
 * Per ICD 203 band, the claims whose time-weighted forecast fell in it: the coverage-weighted mean
 * forecast and observed frequency, n claims, and a Wilson 95 % interval on the frequency.
 */
function bandsOf(scored: Scored[]): (CalibrationBand & { weight: number })[] {
  return ESTIMATIVE_TERMS.map(({ term, from, to }) => {
    const own = scored.filter((s) => estimativeTerm(s.meanProbability) === term);
    const weight = own.reduce((sum, s) => sum + s.coverage, 0);
    const mean = (f: (s: Scored) => number) => (weight > 0 ? own.reduce((sum, s) => sum + s.coverage * f(s), 0) / weight : null);
    const observed = mean((s) => (s.outcome ? 1 : 0));
    const interval = observed === null ? null : wilson(observed * own.length, own.length);
    return { term, from, to, claims: own.length, meanProbability: mean((s) => s.meanProbability), observedFrequency: observed, low: interval?.low ?? null, high: interval?.high ?? null, weight };
  });
}
