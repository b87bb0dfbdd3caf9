import type { Reliability, Stance } from '../generated/prisma/enums.js';
import type { SourcedItem } from './corroboration.js';
import { DEFAULT_WEIGHTS, type EvidenceWeights } from './evidence-weight.js';
import { caseProbability, fitWeights, isHeldOut, meanLogScore, type ResolvedCase } from './weight-fit.js';

/** Mulberry32: a small seeded generator, so the synthetic claims are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Known weights, unlike the default: sources and information a little less trustworthy, stated ratios overstated (γ 0.6). */
const KNOWN: EvidenceWeights = {
  reliability: { A: 1, B: 0.7, C: 0.5, D: 0.3, E: 0.1, F: 0.4 },
  credibility: { 1: 1, 2: 0.75, 3: 0.5, 4: 0.3, 5: 0.15, 6: 0.4 },
  shrinkage: 0.6,
};
const GRADES: Reliability[] = ['A', 'B', 'C', 'D', 'E', 'F'];
const RATIOS = [3, 10, 30, 100, 300, 1000];

/**
 * Resolved claims as the model says they happen: 10 to 30 items each, for or against at even odds,
 * grades and stated ratios drawn uniformly, every item its own origin; each claim's outcome drawn
 * with the probability the known weights give it.
 */
function syntheticClaims(count: number, weights: EvidenceWeights, seed = 1): ResolvedCase[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  return Array.from({ length: count }, (_, i) => {
    const items = Array.from({ length: 10 + Math.floor(next() * 21) }, (__, j): SourcedItem => ({
      id: `${i}-${String(j).padStart(2, '0')}`,
      stance: (next() < 0.5 ? 'supports' : 'contradicts') as Stance,
      credibility: 1 + Math.floor(next() * 6),
      diagnosticity: pick(RATIOS),
      sourceId: `source-${i}-${j}`,
      sourceReliability: pick(GRADES),
      originatorId: null,
      originatorReliability: null,
      lineage: null,
    }));
    const claim: ResolvedCase = { id: `claim-${i}`, prior: 0.5, outcome: false, items };
    return { ...claim, outcome: next() < caseProbability(claim, weights) };
  });
}

describe('fitting a weight set to resolved claims', () => {
  const claims = syntheticClaims(2000, KNOWN);
  const training = claims.filter((c) => !isHeldOut(c.id));
  const heldOut = claims.filter((c) => isHeldOut(c.id));
  let fitted: Awaited<ReturnType<typeof fitWeights>>;
  beforeAll(async () => {
    fitted = await fitWeights(training);
  });

  it('holds out about a fifth of the claims, by id', () => {
    expect(heldOut.length / claims.length).toBeGreaterThan(0.17);
    expect(heldOut.length / claims.length).toBeLessThan(0.23);
    expect(isHeldOut('claim-7')).toBe(isHeldOut('claim-7'));
  });

  it('recovers each known weight within ±0.1 from 2,000 synthetic claims', () => {
    expect(fitted.converged).toBe(true);
    for (const grade of GRADES) expect(Math.abs(fitted.weights.reliability[grade] - KNOWN.reliability[grade])).toBeLessThanOrEqual(0.1);
    for (const credibility of [1, 2, 3, 4, 5, 6]) expect(Math.abs(fitted.weights.credibility[credibility] - KNOWN.credibility[credibility])).toBeLessThanOrEqual(0.1);
    expect(Math.abs(fitted.weights.shrinkage - KNOWN.shrinkage)).toBeLessThanOrEqual(0.1);
  });

  it("beats the default set's held-out log score by at least 5 %", () => {
    const [fit, byDefault] = [meanLogScore(heldOut, fitted.weights)!, meanLogScore(heldOut, DEFAULT_WEIGHTS)!];
    expect((fit - byDefault) / Math.abs(byDefault)).toBeGreaterThanOrEqual(0.05);
  });

  it('keeps the anchors: A and 1 weigh 1', () => {
    expect(fitted.weights.reliability.A).toBe(1);
    expect(fitted.weights.credibility[1]).toBe(1);
  });

  it('stays near the default scale when the claims were generated from it', async () => {
    const { weights } = await fitWeights(syntheticClaims(1000, DEFAULT_WEIGHTS, 2));
    expect(Math.abs(weights.shrinkage - 1)).toBeLessThan(0.15);
  });

  it('counts each origin once, under the weights being fitted', () => {
    // Two reports of one originator: only the stronger counts, so a third copy changes nothing.
    const item = (id: string, diagnosticity: number): SourcedItem => ({
      id, stance: 'supports', credibility: 1, diagnosticity, sourceId: id, sourceReliability: 'A', originatorId: 'tass', originatorReliability: null, lineage: null,
    });
    const one: ResolvedCase = { id: 'c', prior: 0.5, outcome: true, items: [item('a', 4), item('b', 2)] };
    expect(caseProbability(one, DEFAULT_WEIGHTS)).toBeCloseTo(0.8, 12);
    expect(caseProbability({ ...one, items: [...one.items, item('c', 3)] }, DEFAULT_WEIGHTS)).toBeCloseTo(0.8, 12);
  });

  it('fits the same weights when each origin gains a weaker copy of an item (an echo adds nothing)', async () => {
    const some = syntheticClaims(300, KNOWN, 3).map((c) => ({ ...c, items: c.items.map((item) => ({ ...item, originatorId: item.id })) }));
    const echoed = some.map((c) => ({ ...c, items: [...c.items, { ...c.items[0], id: `${c.items[0].id}-echo`, sourceId: 'echo', diagnosticity: 1.5 }] }));
    const [plain, withEchoes] = [await fitWeights(some), await fitWeights(echoed)];
    expect(withEchoes.weights.shrinkage).toBeCloseTo(plain.weights.shrinkage, 10);
    expect(withEchoes.weights.reliability).toEqual(plain.weights.reliability);
  });

  it('has no score without claims', () => {
    expect(meanLogScore([], DEFAULT_WEIGHTS)).toBeNull();
  });
});
