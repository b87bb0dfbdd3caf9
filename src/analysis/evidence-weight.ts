import type { Reliability, Stance } from '../generated/prisma/enums.js';
import { INFORMATION_CREDIBILITY, SOURCE_RELIABILITY } from '../vocabulary/admiralty.js';

/**
 * Evidence-weighted probability: start from the prior's log-odds and let each item
 * move them by the log of its diagnosticity (a likelihood ratio), in the direction
 * of its stance, discounted by how far its source and its information can be trusted:
 *
 *   logit(p) = logit(prior) + Σ sign(stance) × R(reliability) × C(credibility) × γ × ln(diagnosticity)
 *
 * sign: supports +1, contradicts −1, context 0. "Cannot be judged" (F, 6) counts half.
 * γ shrinks every stated likelihood ratio to its γ-th power (1 by default: taken as stated).
 * R, C and γ form a weight set; the default is the documented scale, and a set fitted to
 * resolved claims (weight-fit.ts) replaces it once an admin activates it.
 * The sum runs over origins, not items: items that share an origin count once (corroboration.ts).
 */
export interface EvidenceWeights {
  reliability: Record<Reliability, number>;
  credibility: Record<number, number>;
  /** γ, the diagnosticity shrinkage exponent. */
  shrinkage: number;
}

const weights = <K extends string | number>(scale: Record<K, { weight: number }>) =>
  Object.fromEntries(Object.entries<{ weight: number }>(scale).map(([grade, { weight }]) => [grade, weight])) as Record<K, number>;
export const DEFAULT_WEIGHTS: EvidenceWeights = {
  reliability: weights(SOURCE_RELIABILITY),
  credibility: weights(INFORMATION_CREDIBILITY),
  shrinkage: 1,
};
export const STANCE_SIGN: Record<Stance, number> = { supports: 1, contradicts: -1, context: 0 };
export const DEFAULT_PRIOR = 0.5;

const listed = (weights: Record<string, number>, arrow = ' ') => Object.entries(weights).map(([grade, weight]) => `${grade}${arrow}${weight}`).join(', ');
export const EVIDENCE_WEIGHT_DOC =
  `Evidence-weighted probability: logit(p) = logit(prior, ${DEFAULT_PRIOR} unless set) + Σ sign × R × C × γ × ln(diagnosticity), ` +
  'with sign +1 supports, −1 contradicts, 0 context, and R, C, γ from the active weight set (GET /weight-sets). ' +
  `The default set: R (source reliability) ${listed(DEFAULT_WEIGHTS.reliability)}; C (information credibility) ${listed(DEFAULT_WEIGHTS.credibility, ' → ')}; γ 1. ` +
  'Items that share an origin (the same originator, or sources linked by derivation) count once per stance: the one with the largest weight.';

export interface WeighedItem {
  stance: Stance;
  reliability: Reliability;
  credibility: number;
  diagnosticity: number;
}

export const logit = (p: number) => Math.log(p / (1 - p));
export const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** How far one item moves the log-odds. */
export const itemLogOdds = (item: WeighedItem, { reliability, credibility, shrinkage }: EvidenceWeights = DEFAULT_WEIGHTS): number =>
  STANCE_SIGN[item.stance] * reliability[item.reliability] * credibility[item.credibility] * shrinkage * Math.log(item.diagnosticity);

export function weightedProbability(logOdds: number, prior = DEFAULT_PRIOR): number {
  return logistic(logit(prior) + logOdds);
}

/**
 * The same sum in SQL with the default set, for an evidence row `e` joined to its source `s`: how
 * weights were computed before weighings were recorded (and before weight sets existed).
 */
export const EVIDENCE_LOG_ODDS_SQL = `coalesce(sum(
  (CASE e.stance ${Object.entries(STANCE_SIGN).map(([k, v]) => `WHEN '${k}' THEN ${v}`).join(' ')} END)
  * (CASE s.reliability ${Object.entries(DEFAULT_WEIGHTS.reliability).map(([k, v]) => `WHEN '${k}' THEN ${v}`).join(' ')} END)
  * (CASE e.credibility ${Object.entries(DEFAULT_WEIGHTS.credibility).map(([k, v]) => `WHEN ${k} THEN ${v}`).join(' ')} END)
  * ln(e.diagnosticity)), 0)::float8`;
