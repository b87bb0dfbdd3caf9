import { Injectable, NotFoundException } from '@nestjs/common';
import { consensus } from '../analysis/consensus.js';
import { agreement, aggregate, murphy, peerScore, scoreClaim, wilson, type ClaimScore, type Step } from '../analysis/track-record.js';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Reliability } from '../generated/prisma/enums.js';
import { earnedGrade, SUGGESTION_MIN_ITEMS } from '../vocabulary/admiralty.js';
import { CachedLookup } from '../common/cached-lookup.js';
import { groupBy } from '../common/group-by.js';
import { AppConfig } from '../config/app-config.service.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import { ESTIMATIVE_TERMS, estimativeTerm } from '../vocabulary/estimative.js';
import type { AgreementRecord, CalibrationBand, CalibrationResponse, ForecasterRecord, ForecasterClaim, ForecasterKind, TopicCalibration } from './dto/track-record.response.js';
import { TrackRecordsRepository, type ResolvedClaim, type StepRow } from './track-records.repository.js';

/** A forecaster's scored claim: the time-weighted score, and the peer score against the team. */
interface Scored extends ClaimScore {
  claim: ResolvedClaim;
  peer: number | null;
  versions: number;
}

interface Forecaster {
  id: string | null;
  kind: ForecasterKind;
  name: string;
  scored: Scored[];
  /** Its summary, as listed. */
  record: ForecasterRecord;
}

/** Everything track records answer, computed together from one read of the history (the calibration when first asked for). */
interface Records {
  forecasters: Forecaster[];
  calibration?: CalibrationResponse;
}

const NAMES: Record<Exclude<ForecasterKind, 'analyst'>, string> = {
  record: "The team's record (assessments)",
  consensus: "The team's consensus (analysts' estimates pooled)",
  evidence: 'The evidence model (evidence-weighted probability)',
};

/** Steps by claim, in the order the repository gave them. */
const seriesOf = (rows: StepRow[]) => new Map([...groupBy(rows, (row) => row.claimId)].map(([claimId, steps]) => [claimId, steps.map(({ at, probability }): Step => ({ at, probability }))]));

/**
 * Track records: every forecaster scored over the time each forecast was in force (see
 * src/analysis/track-record.ts), cached until a claim changes (a resolution, a new version).
 */
@Injectable()
export class TrackRecordsService {
  private readonly cache: CachedLookup<Records>;

  constructor(
    private readonly repository: TrackRecordsRepository,
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    events: DatabaseEvents,
  ) {
    this.cache = new CachedLookup(events, 'claims', { max: 1, ttl: 600_000, perKey: false });
  }

  async analysts(): Promise<ForecasterRecord[]> {
    return (await this.records()).forecasters.map((f) => f.record);
  }

  /** One analyst's (or the record's, consensus's, evidence model's) scored claims. */
  async forecaster(id: string): Promise<ForecasterRecord & { scoredClaims: ForecasterClaim[] }> {
    const found = (await this.records()).forecasters.find((f) => (f.id ?? f.kind) === id);
    if (!found) throw new NotFoundException(`No track record for ${id}: no forecasts on resolved claims.`);
    return {
      ...found.record,
      scoredClaims: found.scored.map((s) => ({
        claimId: s.claim.id,
        outcome: s.claim.outcome,
        resolvedAt: s.claim.resolvedAt,
        brierScore: s.brier,
        logScore: s.log,
        coverage: s.coverage,
        peerScore: s.peer,
        meanProbability: s.meanProbability,
        versions: s.versions,
      })),
    };
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
      await tx.gradeSuggestionDismissal.upsert({
        where: { entityType_entityId_reliability: { entityType: kind, entityId: id, reliability } },
        create: { entityType: kind, entityId: id, reliability, dismissedById: actorId(actor) },
        update: {},
      });
      await this.audit.record(tx, actor, { action: 'grade-suggestion.dismiss', entityType: kind, entityId: id, after: { reliability } });
    });
  }

  /** Calibration of the team's record (overall and per topic) and of each analyst, time-weighted. */
  async calibration(): Promise<CalibrationResponse> {
    const records = await this.records();
    records.calibration ??= calibrationOf(records.forecasters);
    return records.calibration;
  }

  private async records(): Promise<Records> {
    return (await this.cache.get('all', () => this.compute()))!;
  }

  private async compute(): Promise<Records> {
    const [claims, estimates, record, evidence] = await Promise.all([
      this.repository.resolvedClaims(),
      this.repository.estimateSteps(),
      this.repository.recordSteps(),
      this.repository.evidenceSteps(),
    ]);
    const byAnalyst = groupBy(estimates, (row) => row.forecasterId);
    const names = new Map((await this.repository.analysts([...byAnalyst.keys()])).map((u) => [u.id, u.name]));
    const consensusSeries = this.consensusSeries(estimates);
    const recordSeries = seriesOf(record);
    const score = (series: Map<string, Step[]>, peers: boolean): Scored[] =>
      claims.flatMap((claim) => {
        const steps = series.get(claim.id);
        const result = steps && scoreClaim(steps, claim.createdAt, claim.resolvedAt, claim.outcome);
        if (!steps || !result) return [];
        // Against the team: the consensus where it exists, else the record.
        const team = consensusSeries.get(claim.id) ?? recordSeries.get(claim.id);
        const peer = peers && team ? peerScore(steps, team, claim.createdAt, claim.resolvedAt, claim.outcome) : null;
        return [{ ...result, claim, peer, versions: steps.length }];
      });
    const forecasters: Omit<Forecaster, 'record'>[] = [
      ...[...byAnalyst].map(([id, rows]) => ({ id, kind: 'analyst' as const, name: names.get(id) ?? id, scored: score(seriesOf(rows), true) })),
      { id: null, kind: 'record', name: NAMES.record, scored: score(recordSeries, false) },
      { id: null, kind: 'consensus', name: NAMES.consensus, scored: score(consensusSeries, false) },
      { id: null, kind: 'evidence', name: NAMES.evidence, scored: score(seriesOf(evidence), true) },
    ];
    return {
      forecasters: forecasters
        .filter((f) => f.scored.length > 0 || f.kind !== 'analyst')
        .map((f) => ({ ...f, record: toRecord(f) }))
        .sort((a, b) => (a.record.brierScore ?? 1) - (b.record.brierScore ?? 1)),
    };
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

/** Calibration of the team's record (overall and per topic) and of each analyst, time-weighted. */
function calibrationOf(forecasters: Forecaster[]): CalibrationResponse {
  const record = forecasters.find((f) => f.kind === 'record');
  const scored = record?.scored ?? [];
  const overall = aggregate(scored);
  const topics = [...new Set(scored.flatMap((s) => s.claim.topics))].sort();
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
      const own = scored.filter((s) => s.claim.topics.includes(topic));
      return { topic, claims: own.length, brierScore: aggregate(own)?.brier ?? null, bands: published(bandsOf(own)) };
    }),
  };
}

function toRecord(f: Omit<Forecaster, 'record'>): ForecasterRecord {
  const overall = aggregate(f.scored);
  const peers = f.scored.filter((s) => s.peer !== null);
  return {
    id: f.id ?? f.kind,
    kind: f.kind,
    name: f.name,
    claims: f.scored.length,
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
    const observed = mean((s) => (s.claim.outcome ? 1 : 0));
    const interval = observed === null ? null : wilson(observed * own.length, own.length);
    return { term, from, to, claims: own.length, meanProbability: mean((s) => s.meanProbability), observedFrequency: observed, low: interval?.low ?? null, high: interval?.high ?? null, weight };
  });
}
