import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Reliability } from '../generated/prisma/enums.js';
import { groupBy } from '../common/group-by.js';
import { corroborate, effectiveReliability, type SourcedItem } from './corroboration.js';
import { DEFAULT_WEIGHTS, logistic, logit, STANCE_SIGN, type EvidenceWeights } from './evidence-weight.js';

/**
 * Recalibrating the evidence model: the weight set (R for A–F, C for 1–6, the shrinkage γ) that
 * makes resolved claims' outcomes most probable, given the evidence each had when it resolved.
 *
 * Model: P(outcome true) = logistic(logit(prior) + Σ counted items sign × R × C × γ × ln(diagnosticity)),
 * the evidence-weighted probability itself (evidence-weight.ts), counting each origin once
 * (corroboration.ts) under the weights being tried.
 *
 * Anchors: R(A) = C(1) = 1. Only products R × C × γ reach the likelihood, so one grade of each
 * scale must be fixed or the scale is not identified (R × k with C ÷ k fits exactly as well, as
 * do all three negated): "completely reliable" and "confirmed" stay full weight, and γ carries
 * how far stated likelihood ratios are to be believed.
 *
 * Regularised maximum likelihood: minimise −Σ ln P(outcome) + λ/2 × ‖θ − θ(default)‖², λ = 1 (a
 * Gaussian prior, standard deviation 1, around the documented scale, which decides when the
 * claims say little), weights ≥ 0. Fisher scoring (Gauss–Newton) with Levenberg–Marquardt damping.
 *
 * Held out: every claim whose id hashes to 0 mod 5 (a fifth, the same claims in every fit as
 * data grows), never trained on; a set is judged by its mean log score on them against the
 * active set's on the same claims.
 */
export interface ResolvedCase {
  id: string;
  prior: number;
  outcome: boolean;
  /** The evidence in force when the claim resolved. */
  items: SourcedItem[];
}

/** Resolved claims with evidence a fit needs: below this the held-out fifth (20 claims) cannot tell two sets apart. */
export const FIT_MIN_CLAIMS = 100;
export const FIT_REGULARISATION = 1;

const FREE_RELIABILITY: Reliability[] = ['B', 'C', 'D', 'E', 'F'];
const FREE_CREDIBILITY = [2, 3, 4, 5, 6];
const PARAMETERS = FREE_RELIABILITY.length + FREE_CREDIBILITY.length + 1;
const SHRINKAGE = PARAMETERS - 1;

const toVector = (w: EvidenceWeights): number[] => [...FREE_RELIABILITY.map((g) => w.reliability[g]), ...FREE_CREDIBILITY.map((c) => w.credibility[c]), w.shrinkage];
const fromVector = (v: number[]): EvidenceWeights => ({
  reliability: { A: 1, ...Object.fromEntries(FREE_RELIABILITY.map((g, i) => [g, v[i]])) } as Record<Reliability, number>,
  credibility: { 1: 1, ...Object.fromEntries(FREE_CREDIBILITY.map((c, i) => [c, v[FREE_RELIABILITY.length + i]])) },
  shrinkage: v[SHRINKAGE],
});

/** Whether a claim is held out of every fit: FNV-1a of its id, mod 5. */
export function isHeldOut(id: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % 5 === 0;
}

const EPSILON = 1e-12;
const clampP = (p: number) => Math.min(1 - EPSILON, Math.max(EPSILON, p));

/** The probability a weight set gave a claim's outcome being true. */
export const caseProbability = (c: ResolvedCase, weights: EvidenceWeights) => logistic(logit(c.prior) + corroborate(c.items, weights).logOdds);

/** Mean natural-log score of the outcomes (≤ 0; higher is better); null with no claims. */
export function meanLogScore(cases: readonly ResolvedCase[], weights: EvidenceWeights): number | null {
  if (cases.length === 0) return null;
  return cases.reduce((sum, c) => sum + Math.log(clampP(c.outcome ? caseProbability(c, weights) : 1 - caseProbability(c, weights))), 0) / cases.length;
}

/** An item as the fit reads it: which weights it takes, and its ln(diagnosticity). */
interface Term {
  sign: number;
  reliability: Reliability;
  credibility: number;
  ln: number;
  /** Its free parameters' places in θ (−1 for an anchor). */
  r: number;
  c: number;
}

/**
 * A claim as the fit reads it: its prior's log-odds, its outcome, and its evidence for or against
 * grouped by origin and stance. The grouping does not depend on the weights; which item of a
 * group counts (the one with the largest weight) does, so it is chosen at each step.
 */
interface Prepared {
  logitPrior: number;
  outcome: number;
  groups: Term[][];
}

function prepare(c: ResolvedCase): Prepared {
  const byId = new Map(c.items.map((item) => [item.id, item]));
  const groups = corroborate(c.items).origins.flatMap((origin) => {
    const members = origin.itemIds.map((id) => byId.get(id)!).filter((item) => STANCE_SIGN[item.stance] !== 0);
    return [...groupBy(members, (item) => item.stance).values()].map((items) =>
      items.map((item): Term => {
        const reliability = effectiveReliability(item);
        return {
          sign: STANCE_SIGN[item.stance], reliability, credibility: item.credibility, ln: Math.log(item.diagnosticity),
          r: FREE_RELIABILITY.indexOf(reliability), c: FREE_CREDIBILITY.indexOf(item.credibility),
        };
      }),
    );
  });
  return { logitPrior: logit(c.prior), outcome: c.outcome ? 1 : 0, groups };
}

/** One claim's log-odds and their gradient in θ, each origin counting its strongest item per stance. */
function linearise(c: Prepared, shrinkage: number, weights: EvidenceWeights, gradient: Float64Array): number {
  gradient.fill(0);
  let eta = c.logitPrior;
  for (const group of c.groups) {
    let [best, strongest] = [group[0], -1];
    for (const term of group) {
      const weight = weights.reliability[term.reliability] * weights.credibility[term.credibility] * term.ln;
      if (weight > strongest) [best, strongest] = [term, weight];
    }
    const [r, cr] = [weights.reliability[best.reliability], weights.credibility[best.credibility]];
    eta += best.sign * r * cr * shrinkage * best.ln;
    if (best.r >= 0) gradient[best.r] += best.sign * cr * shrinkage * best.ln;
    if (best.c >= 0) gradient[FREE_RELIABILITY.length + best.c] += best.sign * r * shrinkage * best.ln;
    gradient[SHRINKAGE] += best.sign * r * cr * best.ln;
  }
  return eta;
}

interface Evaluation {
  objective: number;
  gradient: number[];
  fisher: number[][];
}

/** Claims evaluated between yields to the event loop: a fit of tens of thousands of claims must not stall a server's other requests. */
const CHUNK = 500;

async function evaluate(cases: readonly Prepared[], v: number[], anchor: number[], lambda: number): Promise<Evaluation> {
  const weights = fromVector(v);
  const gradient = v.map((x, i) => lambda * (x - anchor[i]));
  const fisher = v.map((_, i) => v.map((__, j) => (i === j ? lambda : 0)));
  let objective = (lambda / 2) * v.reduce((sum, x, i) => sum + (x - anchor[i]) ** 2, 0);
  const d = new Float64Array(PARAMETERS);
  for (const [index, c] of cases.entries()) {
    if (index > 0 && index % CHUNK === 0) await yieldToEventLoop();
    const p = clampP(logistic(linearise(c, v[SHRINKAGE], weights, d)));
    objective -= c.outcome * Math.log(p) + (1 - c.outcome) * Math.log(1 - p);
    const w = p * (1 - p);
    for (let i = 0; i < PARAMETERS; i++) {
      if (d[i] === 0) continue;
      gradient[i] += (p - c.outcome) * d[i];
      for (let j = 0; j < PARAMETERS; j++) fisher[i][j] += w * d[i] * d[j];
    }
  }
  return { objective, gradient, fisher };
}

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    const pivot = m.slice(col).reduce((best, row, i) => (Math.abs(row[col]) > Math.abs(m[best][col]) ? col + i : best), col);
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let row = col + 1; row < n; row++) {
      const f = m[row][col] / m[col][col];
      for (let k = col; k <= n; k++) m[row][k] -= f * m[col][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row][n];
    for (let k = row + 1; k < n; k++) sum -= m[row][k] * x[k];
    x[row] = sum / m[row][row];
  }
  return x;
}

export interface WeightFit {
  weights: EvidenceWeights;
  converged: boolean;
  iterations: number;
}

/** Fits a weight set to resolved claims (all of those given: hold out before calling). */
export async function fitWeights(cases: readonly ResolvedCase[], { anchor = DEFAULT_WEIGHTS, lambda = FIT_REGULARISATION, maxIterations = 200 } = {}): Promise<WeightFit> {
  const prepared: Prepared[] = [];
  for (const [index, c] of cases.entries()) {
    if (index > 0 && index % CHUNK === 0) await yieldToEventLoop();
    prepared.push(prepare(c));
  }
  const anchored = toVector(anchor);
  let v = [...anchored];
  let current = await evaluate(prepared, v, anchored, lambda);
  let damping = 1e-3;
  let converged = false;
  let iterations = 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    let accepted = false;
    for (let attempt = 0; attempt < 30 && !accepted; attempt++) {
      const damped = current.fisher.map((row, i) => row.map((x, j) => (i === j ? x * (1 + damping) : x)));
      const step = solve(damped, current.gradient.map((g) => -g));
      const next = v.map((x, i) => Math.max(i === SHRINKAGE ? 1e-3 : 0, x + step[i]));
      const trial = await evaluate(prepared, next, anchored, lambda);
      if (trial.objective <= current.objective) {
        const moved = Math.max(...next.map((x, i) => Math.abs(x - v[i])));
        converged = moved < 1e-7 || current.objective - trial.objective < 1e-10 * (1 + Math.abs(current.objective));
        [v, current, accepted] = [next, trial, true];
        damping = Math.max(damping / 10, 1e-9);
      } else damping *= 10;
    }
    if (!accepted) break;
  }
  return { weights: fromVector(v), converged, iterations };
}
