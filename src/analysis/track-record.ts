/**
 * Track records: forecasts scored over the time they were in force, not per version.
 *
 * A forecaster's forecast on a claim is a step function: each probability holds from when it was
 * given until the next one (or the resolution). Its **time-weighted score** is the score of the
 * forecast in force, averaged over the span from the forecaster's first forecast to the
 * resolution:
 *
 *   Brier = (1/T) ∫ (p(t) − o)² dt        log = (1/T) ∫ ln(o ? p(t) : 1 − p(t)) dt
 *
 * with o = 1 when the claim turned out true, and T the span. **Coverage** is T over the claim's
 * life (created → resolved): a forecaster who came in late scores only the time they forecast,
 * and counts for that share. Over many claims, each claim weighs its coverage, never its number of
 * versions, so revising often earns nothing and a late, hindsight call weighs little.
 *
 * 0.9 held for 10 days then 0.1 for 1 day, resolved false: Brier (10 × 0.81 + 1 × 0.01) / 11 =
 * 0.7373, log (10 ln 0.1 + ln 0.9) / 11 = −2.1028; the per-version rule would give 0.41.
 */
export interface Step {
  /** Epoch milliseconds. */
  at: number;
  /** Null: withdrawn from then on (the span is not scored while nothing is in force). */
  probability: number | null;
}

export interface ClaimScore {
  brier: number;
  log: number;
  /** Seconds scored (a forecast in force). */
  seconds: number;
  /** Scored span over the claim's life, 0–1. */
  coverage: number;
  /** The probability in force over the scored span, time-weighted (for calibration). */
  meanProbability: number;
}

/** Log scores never reach −∞: a forecast of exactly 0 or 1 that turns out wrong scores as 0.001 would. */
const FLOOR = 0.001;
const clamp = (p: number) => Math.min(1 - FLOOR, Math.max(FLOOR, p));

export const brierOf = (p: number, outcome: boolean) => (p - (outcome ? 1 : 0)) ** 2;
export const logOf = (p: number, outcome: boolean) => Math.log(outcome ? clamp(p) : 1 - clamp(p));

/**
 * The time-weighted score of one forecaster on one claim: `steps` in time order, the claim's
 * life from `createdAt` to `resolvedAt`. Steps at or after the resolution do not count; null when
 * nothing was in force before it.
 */
export function scoreClaim(steps: readonly Step[], createdAt: Date, resolvedAt: Date, outcome: boolean): ClaimScore | null {
  const end = resolvedAt.getTime();
  const life = Math.max(end - createdAt.getTime(), 1);
  let seconds = 0;
  let brier = 0;
  let log = 0;
  let probability = 0;
  steps.forEach((step, i) => {
    const from = Math.max(step.at, createdAt.getTime());
    const to = Math.min(i + 1 < steps.length ? steps[i + 1].at : end, end);
    if (step.probability === null || to <= from) return;
    const span = (to - from) / 1000;
    seconds += span;
    brier += span * brierOf(step.probability, outcome);
    log += span * logOf(step.probability, outcome);
    probability += span * step.probability;
  });
  if (seconds === 0) return null;
  return { brier: brier / seconds, log: log / seconds, seconds, coverage: Math.min(1, (seconds * 1000) / life), meanProbability: probability / seconds };
}

export interface Aggregate {
  claims: number;
  brier: number;
  log: number;
  /** Mean coverage over the claims scored. */
  coverage: number;
}

/** Scores over many claims, each claim weighted by its coverage (never by its number of versions). */
export function aggregate(scores: readonly ClaimScore[]): Aggregate | null {
  const weight = scores.reduce((sum, s) => sum + s.coverage, 0);
  if (scores.length === 0 || weight === 0) return null;
  const mean = (f: (s: ClaimScore) => number) => scores.reduce((sum, s) => sum + s.coverage * f(s), 0) / weight;
  return { claims: scores.length, brier: mean((s) => s.brier), log: mean((s) => s.log), coverage: scores.reduce((sum, s) => sum + s.coverage, 0) / scores.length };
}

/**
 * The time-weighted log score of `steps` minus that of `reference` over the same span (where
 * both are in force): positive when the forecaster beat the reference (the consensus, or the
 * record). Null when they never overlap.
 */
export function peerScore(steps: readonly Step[], reference: readonly Step[], createdAt: Date, resolvedAt: Date, outcome: boolean): number | null {
  // Both series cut at every change of either (a merge of two sorted lists), kept where both are in force.
  const mine: Step[] = [];
  const theirs: Step[] = [];
  let [i, j] = [0, 0];
  let [p, q]: (number | null)[] = [null, null];
  while (i < steps.length || j < reference.length) {
    const at = Math.min(steps[i]?.at ?? Infinity, reference[j]?.at ?? Infinity);
    while (i < steps.length && steps[i].at === at) p = steps[i++].probability;
    while (j < reference.length && reference[j].at === at) q = reference[j++].probability;
    const overlap = p !== null && q !== null;
    mine.push({ at, probability: overlap ? p : null });
    theirs.push({ at, probability: overlap ? q : null });
  }
  const a = scoreClaim(mine, createdAt, resolvedAt, outcome);
  const b = scoreClaim(theirs, createdAt, resolvedAt, outcome);
  return a && b ? a.log - b.log : null;
}

/** Wilson score interval for k successes in n trials (95 %: z = 1.96). */
export function wilson(k: number, n: number, z = 1.959964): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = k / n;
  const centre = p + (z * z) / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const denominator = 1 + (z * z) / n;
  return { low: (centre - margin) / denominator, high: (centre + margin) / denominator };
}

/** ln Γ by Lanczos (g = 7), for the Beta function. */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized incomplete beta function I_x(a, b), by its continued fraction (Numerical Recipes, betacf). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  let f = 1;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
  f = d;
  for (let m = 1; m <= 300; m++) {
    for (const numerator of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < 1e-300) c = 1e-300;
      f *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-12) break;
  }
  return (front * f) / a;
}

/** The q-quantile of Beta(a, b), by bisection on I_x(a, b). */
export function betaQuantile(q: number, a: number, b: number): number {
  let [low, high] = [0, 1];
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (regularizedBeta(mid, a, b) < q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * How often a source's (or originator's) items agreed with outcomes: k of n, under a uniform
 * Beta(1, 1) prior. The posterior Beta(k + 1, n − k + 1): its mean (k + 1) / (n + 2) and its
 * central 95 % interval. 18 of 20 → 0.864, about 0.70–0.97.
 */
export function agreement(k: number, n: number): { mean: number; low: number; high: number; n: number } {
  const [a, b] = [k + 1, n - k + 1];
  return { mean: a / (a + b), low: betaQuantile(0.025, a, b), high: betaQuantile(0.975, a, b), n };
}

/**
 * Murphy's decomposition of the Brier score over bins of similar forecasts:
 * Brier = reliability − resolution + uncertainty, with, for bins k of n_k forecasts of mean f_k
 * and observed frequency o_k, and the overall frequency ō:
 *   reliability = Σ n_k (f_k − o_k)² / N, resolution = Σ n_k (o_k − ō)² / N, uncertainty = ō (1 − ō).
 * (Exact when every forecast in a bin is the bin's mean.) Weights may be fractional (coverage).
 */
export function murphy(bins: readonly { weight: number; meanForecast: number; observed: number }[]): { reliability: number; resolution: number; uncertainty: number } | null {
  const total = bins.reduce((sum, b) => sum + b.weight, 0);
  if (total === 0) return null;
  const base = bins.reduce((sum, b) => sum + b.weight * b.observed, 0) / total;
  return {
    reliability: bins.reduce((sum, b) => sum + b.weight * (b.meanForecast - b.observed) ** 2, 0) / total,
    resolution: bins.reduce((sum, b) => sum + b.weight * (b.observed - base) ** 2, 0) / total,
    uncertainty: base * (1 - base),
  };
}
