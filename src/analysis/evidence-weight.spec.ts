import { DEFAULT_WEIGHTS, itemLogOdds, weightedProbability, type WeighedItem } from './evidence-weight.js';

/** Independent items (each its own origin: see corroboration.spec.ts for those that share one) add up. */
const evidenceLogOdds = (items: WeighedItem[]) => items.reduce((sum, item) => sum + itemLogOdds(item), 0);

describe('evidence-weighted probability (worked examples)', () => {
  it('stays at the prior with no evidence, or only context', () => {
    expect(weightedProbability(evidenceLogOdds([]))).toBe(0.5);
    expect(weightedProbability(evidenceLogOdds([{ stance: 'context', reliability: 'A', credibility: 1, diagnosticity: 50 }]))).toBe(0.5);
    expect(weightedProbability(0, 0.2)).toBeCloseTo(0.2, 12);
  });

  it('moves by the full likelihood ratio for A1 evidence', () => {
    // Prior odds 1:1, likelihood ratio 4 → odds 4:1 → p = 0.8.
    const p = weightedProbability(evidenceLogOdds([{ stance: 'supports', reliability: 'A', credibility: 1, diagnosticity: 4 }]));
    expect(p).toBeCloseTo(0.8, 12);
  });

  it('discounts by reliability and credibility', () => {
    // B2: weight 0.8 × 0.8 = 0.64; odds = 4^0.64 = 2.4284 → p = 2.4284 / 3.4284 = 0.70832.
    const p = weightedProbability(evidenceLogOdds([{ stance: 'supports', reliability: 'B', credibility: 2, diagnosticity: 4 }]));
    expect(p).toBeCloseTo(0.70832, 4);
  });

  it('lets contradicting evidence pull the other way and combines items additively in log-odds', () => {
    // Prior 0.25 → log-odds ln(1/3) = −1.0986.
    // supports A1 ×9: +ln 9 = +2.1972; contradicts C3 ×3: −0.36 × ln 3 = −0.3955.
    // Sum 0.7031 → p = 1 / (1 + e^−0.7031) = 0.66887.
    const items = [
      { stance: 'supports' as const, reliability: 'A' as const, credibility: 1, diagnosticity: 9 },
      { stance: 'contradicts' as const, reliability: 'C' as const, credibility: 3, diagnosticity: 3 },
    ];
    expect(evidenceLogOdds(items)).toBeCloseTo(2.19722 - 0.39550, 4);
    expect(weightedProbability(evidenceLogOdds(items), 0.25)).toBeCloseTo(0.66887, 4);
  });

  it('shrinks every stated likelihood ratio to its γ-th power', () => {
    // γ 0.5: A1 ×4 moves the odds by 4^0.5 = 2 → p = 2/3.
    const item: WeighedItem = { stance: 'supports', reliability: 'A', credibility: 1, diagnosticity: 4 };
    expect(weightedProbability(itemLogOdds(item, { ...DEFAULT_WEIGHTS, shrinkage: 0.5 }))).toBeCloseTo(2 / 3, 12);
  });

  it('gives non-diagnostic evidence (ratio 1) no weight at all', () => {
    expect(evidenceLogOdds([{ stance: 'supports', reliability: 'A', credibility: 1, diagnosticity: 1 }])).toBe(0);
  });
});
