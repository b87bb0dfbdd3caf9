import { ESTIMATIVE_TERMS } from '../vocabulary/estimative.js';
import { bandsApart, consensus, estimativeBandSql } from './consensus.js';

describe('team consensus (worked figures)', () => {
  it('pools 0.6, 0.7 and 0.9 as the geometric mean of odds: 0.7595, and 0.8488 extremized with d = 1.5', () => {
    const estimates = [{ probability: 0.6 }, { probability: 0.7 }, { probability: 0.9 }];
    expect(Math.abs(consensus(estimates)!.probability - 0.7595)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(consensus(estimates, 1.5)!.probability - 0.8488)).toBeLessThanOrEqual(0.0005);
    expect(consensus(estimates)).toMatchObject({ estimativeTerm: 'likely', analysts: 3, min: 0.6, max: 0.9, bandSpan: 1, dissent: false });
  });

  it('spreads: the interquartile range of the log-odds', () => {
    // log-odds 0.4055, 0.8473, 2.1972; quartiles at positions 0.5 and 1.5: 0.6264 and 1.5223.
    expect(consensus([{ probability: 0.6 }, { probability: 0.7 }, { probability: 0.9 }])!.iqrLogOdds).toBeCloseTo(0.8959, 4);
    expect(consensus([{ probability: 0.3 }])!.iqrLogOdds).toBe(0);
  });

  it('one analyst: the consensus is their estimate, with no dissent; none: no consensus', () => {
    expect(consensus([{ probability: 0.3 }])).toMatchObject({ analysts: 1, dissent: false, bandSpan: 0 });
    expect(consensus([{ probability: 0.3 }])!.probability).toBeCloseTo(0.3, 12);
    expect(consensus([{ probability: 0.3 }], 2)!.probability).toBeLessThan(0.3);
    expect(consensus([])).toBeNull();
  });

  it('flags dissent when estimates lie two or more ICD 203 bands apart', () => {
    expect(consensus([{ probability: 0.3 }, { probability: 0.7 }])).toMatchObject({ dissent: true, bandSpan: 2 }); // unlikely, likely
    expect(consensus([{ probability: 0.5 }, { probability: 0.7 }])).toMatchObject({ dissent: false, bandSpan: 1 }); // even chance, likely
    expect(consensus([{ probability: 0.04 }, { probability: 0.96 }])).toMatchObject({ dissent: true, bandSpan: 6 });
  });

  it('weighs analysts by their weights', () => {
    const even = consensus([{ probability: 0.2, weight: 1 }, { probability: 0.8, weight: 1 }])!;
    expect(even.probability).toBeCloseTo(0.5, 12);
    // Weights 3:1 → mean log-odds (3 × logit 0.8 + logit 0.2) / 4 = ln 4 / 2 → p = 2/3.
    expect(consensus([{ probability: 0.8, weight: 3 }, { probability: 0.2, weight: 1 }])!.probability).toBeCloseTo(2 / 3, 12);
  });

  it('refuses 0 and 1, whose log-odds are infinite', () => {
    expect(() => consensus([{ probability: 0 }])).toThrow(RangeError);
    expect(() => consensus([{ probability: 1 }])).toThrow(RangeError);
  });

  it('counts the bands between two judgements, in JavaScript and SQL alike', () => {
    expect(bandsApart(0.3, 0.7)).toBe(2);
    expect(bandsApart(0.55, 0.45)).toBe(0);
    expect(bandsApart(null, 0.5)).toBeNull();
    const sql = estimativeBandSql('p');
    expect(sql).toBe(
      `CASE WHEN p IS NULL THEN NULL ${ESTIMATIVE_TERMS.slice(0, 3).map((b, i) => `WHEN p < ${b.to} THEN ${i}`).join(' ')} ${ESTIMATIVE_TERMS.slice(3, 6).map((b, i) => `WHEN p <= ${b.to} THEN ${i + 3}`).join(' ')} ELSE 6 END`,
    );
  });
});
