import { corroborate, type SourcedItem } from './corroboration.js';
import { weightedProbability } from './evidence-weight.js';

const item = (n: number, overrides: Partial<SourcedItem> = {}): SourcedItem => ({
  id: `item-${n}`,
  stance: 'supports',
  credibility: 3,
  diagnosticity: 3,
  sourceId: `source-${n}`,
  sourceReliability: 'C',
  originatorId: null,
  originatorReliability: null,
  lineage: null,
  ...overrides,
});
const five = [1, 2, 3, 4, 5].map((n) => item(n));

describe('corroborate: each origin counts once per stance', () => {
  it('counts five independent items five times: 5 × 0.6 × 0.6 × ln 3 = 1.978, p = 0.878', () => {
    const result = corroborate(five);
    expect(result.logOdds).toBeCloseTo(5 * 0.6 * 0.6 * Math.log(3), 12);
    expect(result.logOdds).toBeCloseTo(1.978, 3);
    expect(weightedProbability(result.logOdds, 0.5)).toBeCloseTo(0.878, 3);
    expect(result.supporting).toEqual({ items: 5, origins: 5 });
  });

  it('counts the same five once when four sources derive from the fifth: 0.3955, p = 0.598', () => {
    // Lineages as the repository gives them: every source linked by derivation to source-1 shares its group.
    const derived = five.map((i) => ({ ...i, lineage: 'source-1' }));
    const result = corroborate(derived);
    expect(result.logOdds).toBeCloseTo(0.3955, 4);
    expect(weightedProbability(result.logOdds, 0.5)).toBeCloseTo(0.598, 3);
    expect(result.supporting).toEqual({ items: 5, origins: 1 });
    expect(result.origins).toHaveLength(1);
    expect(result.origins[0].itemIds).toHaveLength(5);
  });

  it('joins origins transitively, through an originator and a lineage together', () => {
    // 1 and 2 quote TASS; 2's source is derived with 3's; 4 is on its own.
    const items = [
      item(1, { originatorId: 'tass' }),
      item(2, { originatorId: 'tass', lineage: 'L' }),
      item(3, { lineage: 'L' }),
      item(4),
    ];
    const result = corroborate(items);
    expect(result.supporting).toEqual({ items: 4, origins: 2 });
    expect(result.origins.map((o) => o.itemIds.sort())).toEqual([['item-1', 'item-2', 'item-3'], ['item-4']]);
  });

  it('counts the item with the largest absolute weight, once per stance', () => {
    const items = [
      item(1, { originatorId: 'peskov', diagnosticity: 2 }),
      item(2, { originatorId: 'peskov', diagnosticity: 5, credibility: 2 }),
      item(3, { originatorId: 'peskov', stance: 'contradicts', diagnosticity: 4 }),
      item(4, { originatorId: 'peskov', stance: 'contradicts', diagnosticity: 1.5 }),
    ];
    const result = corroborate(items);
    expect(result.origins[0].counted).toEqual({ supports: 'item-2', contradicts: 'item-3' });
    expect(result.logOdds).toBeCloseTo(0.6 * 0.8 * Math.log(5) - 0.6 * 0.6 * Math.log(4), 12);
    expect(result.supporting).toEqual({ items: 2, origins: 1 });
    expect(result.contradicting).toEqual({ items: 2, origins: 1 });
  });

  it("weighs an attributed item by its originator's own grade when it has one", () => {
    const result = corroborate([item(1, { originatorId: 'mfa', originatorReliability: 'A' })]);
    expect(result.logOdds).toBeCloseTo(1 * 0.6 * Math.log(3), 12);
  });

  it('keeps items from one underived source apart, as before provenance', () => {
    const result = corroborate([item(1, { sourceId: 's' }), item(2, { sourceId: 's' })]);
    expect(result.supporting).toEqual({ items: 2, origins: 2 });
  });

  it('gives the same answer whatever order the items come in', () => {
    const items = [item(3, { lineage: 'L' }), item(1, { originatorId: 'x' }), item(2, { originatorId: 'x', lineage: 'L' })];
    expect(corroborate(items)).toEqual(corroborate([...items].reverse()));
  });
});
