import { ESTIMATIVE_TERMS, estimativeBand, estimativeTerm, type EstimativeTerm } from '../vocabulary/estimative.js';
import { logistic, logit } from './evidence-weight.js';

/**
 * The team's consensus: the weighted mean of the analysts' log-odds (the geometric mean of
 * their odds), times an extremizing factor d:
 *
 *   logit(consensus) = d × Σ wᵢ logit(pᵢ) / Σ wᵢ
 *
 * d = 1 pools without extremizing; d > 1 pushes the pool away from 50 %, which corrects for
 * analysts sharing part of their information (the forecasting tournaments' finding).
 * Weights are 1 each, or, with CONSENSUS_WEIGHTING=track-record, each analyst's `trackRecordWeight`.
 */
export const CONSENSUS_DOC =
  'Consensus: logit(p) = d × Σ wᵢ logit(pᵢ) / Σ wᵢ over each analyst\'s latest non-withdrawn estimate (the geometric mean of odds), ' +
  'd the deployment\'s extremizing factor (CONSENSUS_EXTREMIZING, default 1), weights wᵢ 1 (or, with CONSENSUS_WEIGHTING=track-record, ' +
  'exp(peer score) within [0.25, 4] once an analyst has 5 resolved claims). Dissent: estimates two or more ICD 203 bands apart.';

/** Estimates two or more bands apart (one "unlikely", one "likely") are dissent. */
export const DISSENT_BANDS = 2;

export interface AnalystEstimate {
  probability: number;
  /** The analyst's weight in the pool (1 until track records exist). */
  weight?: number;
}

export interface Consensus {
  probability: number;
  estimativeTerm: EstimativeTerm;
  analysts: number;
  /** Lowest and highest estimate, and the interquartile range of the estimates' log-odds. */
  min: number;
  max: number;
  iqrLogOdds: number;
  /** ICD 203 bands between the lowest and highest estimate. */
  bandSpan: number;
  dissent: boolean;
}

/** The q-quantile of sorted values, interpolating between neighbours (the common "type 7" definition). */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  return sorted[below] + (sorted[Math.min(below + 1, sorted.length - 1)] - sorted[below]) * (at - below);
}

/** The consensus of the estimates given (each analyst's latest, withdrawn ones left out); null when there are none. */
export function consensus(estimates: AnalystEstimate[], extremizing = 1): Consensus | null {
  if (estimates.length === 0) return null;
  for (const { probability } of estimates) {
    if (!(probability > 0 && probability < 1)) throw new RangeError(`an estimate must lie strictly between 0 and 1: ${probability}`);
  }
  const totalWeight = estimates.reduce((sum, e) => sum + (e.weight ?? 1), 0);
  const meanLogOdds = estimates.reduce((sum, e) => sum + (e.weight ?? 1) * logit(e.probability), 0) / totalWeight;
  const probability = logistic(extremizing * meanLogOdds);
  const values = estimates.map((e) => e.probability).sort((a, b) => a - b);
  const logOdds = values.map(logit);
  const bandSpan = estimativeBand(values.at(-1)!) - estimativeBand(values[0]);
  return {
    probability,
    estimativeTerm: estimativeTerm(probability),
    analysts: estimates.length,
    min: values[0],
    max: values.at(-1)!,
    iqrLogOdds: quantile(logOdds, 0.75) - quantile(logOdds, 0.25),
    bandSpan,
    dissent: bandSpan >= DISSENT_BANDS,
  };
}

/** Resolved claims an analyst's track record needs before it weighs their estimates. */
export const WEIGHTING_MIN_CLAIMS = 5;
const [LIGHTEST, HEAVIEST] = [0.25, 4];

/**
 * An analyst's weight in the pool from their track record (CONSENSUS_WEIGHTING=track-record):
 * exp(peer score), their average log-score advantage over the team turned into a likelihood
 * ratio (an analyst who beat the team by 0.2 nats a claim weighs 1.22, one 0.2 behind 0.82),
 * kept within [0.25, 4] so that no one analyst is the team; 1 until they have 5 resolved claims.
 */
export function trackRecordWeight(claims: number, peerScore: number | null): number {
  if (claims < WEIGHTING_MIN_CLAIMS || peerScore === null) return 1;
  return Math.min(HEAVIEST, Math.max(LIGHTEST, Math.exp(peerScore)));
}

/** The consensus of analysts' latest estimates, each with their stored weight in the pool. */
export const teamConsensus = (estimates: { probability: number; weight: number }[], extremizing: number) => consensus(estimates, extremizing);

/**
 * `teamConsensus` in SQL, an aggregate over the estimates' probabilities `p` and weights `w`
 * with the factor `d`, for the statement that writes an estimate and keeps the claim's team
 * columns: the same weighted mean of log-odds (the team e2e test holds the stored column to
 * the API's figure).
 */
export const consensusSql = (p: string, w: string, d: string) => `1 / (1 + exp(-(${d}) * sum(${w} * ln(${p} / (1 - ${p}))) / sum(${w})))`;

/** ICD 203 bands between two judgements (the record and the consensus, say); null when either is missing. */
export function bandsApart(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.abs(estimativeBand(a) - estimativeBand(b));
}

/** `estimativeBand` in SQL, for a probability expression (null for null): the same edges, from the same table. */
export const estimativeBandSql = (probability: string) =>
  `CASE WHEN ${probability} IS NULL THEN NULL ${ESTIMATIVE_TERMS.slice(0, -1)
    .map(({ to }, band) => `WHEN ${probability} ${to < 0.5 ? '<' : '<='} ${to} THEN ${band}`)
    .join(' ')} ELSE ${ESTIMATIVE_TERMS.length - 1} END`;
