import type { Reliability, Stance } from '../generated/prisma/enums.js';
import { INFORMATION_CREDIBILITY, SOURCE_RELIABILITY } from '../vocabulary/admiralty.js';

/**
 * Evidence-weighted probability: start from the prior's log-odds and let each item
 * move them by the log of its diagnosticity (a likelihood ratio), in the direction
 * of its stance, discounted by how far its source and its information can be trusted:
 *
 *   logit(p) = logit(prior) + Σ sign(stance) × R(reliability) × C(credibility) × ln(diagnosticity)
 *
 * sign: supports +1, contradicts −1, context 0. "Cannot be judged" (F, 6) counts half.
 * The sum runs over origins, not items: items that share an origin count once (corroboration.ts).
 */
const weights = <K extends string | number>(scale: Record<K, { weight: number }>) =>
  Object.fromEntries(Object.entries<{ weight: number }>(scale).map(([grade, { weight }]) => [grade, weight])) as Record<K, number>;
export const RELIABILITY_WEIGHT: Record<Reliability, number> = weights(SOURCE_RELIABILITY);
export const CREDIBILITY_WEIGHT: Record<number, number> = weights(INFORMATION_CREDIBILITY);
export const STANCE_SIGN: Record<Stance, number> = { supports: 1, contradicts: -1, context: 0 };
export const DEFAULT_PRIOR = 0.5;

const listed = (weights: Record<string, number>, arrow = ' ') => Object.entries(weights).map(([grade, weight]) => `${grade}${arrow}${weight}`).join(', ');
export const EVIDENCE_WEIGHT_DOC =
  `Evidence-weighted probability: logit(p) = logit(prior, ${DEFAULT_PRIOR} unless set) + Σ sign × R × C × ln(diagnosticity), ` +
  `with sign +1 supports, −1 contradicts, 0 context; R (source reliability) ${listed(RELIABILITY_WEIGHT)}; ` +
  `C (information credibility) ${listed(CREDIBILITY_WEIGHT, ' → ')}. ` +
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
export const itemLogOdds = (item: WeighedItem): number =>
  STANCE_SIGN[item.stance] * RELIABILITY_WEIGHT[item.reliability] * CREDIBILITY_WEIGHT[item.credibility] * Math.log(item.diagnosticity);

export function weightedProbability(logOdds: number, prior = DEFAULT_PRIOR): number {
  return logistic(logit(prior) + logOdds);
}

/** The same sum in SQL, for an evidence row `e` joined to its source `s`: one query per page of claims. */
export const EVIDENCE_LOG_ODDS_SQL = `coalesce(sum(
  (CASE e.stance ${Object.entries(STANCE_SIGN).map(([k, v]) => `WHEN '${k}' THEN ${v}`).join(' ')} END)
  * (CASE s.reliability ${Object.entries(RELIABILITY_WEIGHT).map(([k, v]) => `WHEN '${k}' THEN ${v}`).join(' ')} END)
  * (CASE e.credibility ${Object.entries(CREDIBILITY_WEIGHT).map(([k, v]) => `WHEN ${k} THEN ${v}`).join(' ')} END)
  * ln(e.diagnosticity)), 0)::float8`;
