import { agreement, aggregate, betaQuantile, murphy, peerScore, regularizedBeta, scoreClaim, wilson } from './track-record.js';

/** The per-version rule calibration used before: every version a forecast of its own. */
const brierScore = (forecasts: { probability: number; outcome: boolean }[]) =>
  forecasts.reduce((sum, f) => sum + (f.probability - (f.outcome ? 1 : 0)) ** 2, 0) / forecasts.length;
const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000);
/** A step at day n. */
const at = (n: number) => day(n).getTime();

describe('time-weighted track records', () => {
  it('scores the forecast in force over time: 0.9 for 10 days, 0.1 for 1 day, false → Brier 0.7373, log −2.1028 (per version: 0.41)', () => {
    const score = scoreClaim([{ at: at(0), probability: 0.9 }, { at: at(10), probability: 0.1 }], day(0), day(11), false)!;
    expect(score.brier).toBeCloseTo(0.7373, 4);
    expect(score.log).toBeCloseTo(-2.1028, 4);
    expect(score.coverage).toBe(1);
    expect(brierScore([{ probability: 0.9, outcome: false }, { probability: 0.1, outcome: false }])).toBeCloseTo(0.41, 10);
  });

  it('covers only the span from the first forecast, and counts each claim by its coverage, never its versions', () => {
    const late = scoreClaim([{ at: at(8), probability: 0.2 }], day(0), day(10), false)!;
    expect(late.coverage).toBeCloseTo(0.2, 10);
    const churn = scoreClaim(Array.from({ length: 10 }, (_, i) => ({ at: at(i), probability: 0.6 })), day(0), day(10), true)!;
    expect(churn.brier).toBeCloseTo(0.16, 10);
    const overall = aggregate([late, churn])!;
    expect(overall.brier).toBeCloseTo((0.2 * 0.04 + 1 * 0.16) / 1.2, 10);
    expect(overall.claims).toBe(2);
  });

  it('leaves out withdrawn time and forecasts after the resolution', () => {
    const score = scoreClaim([{ at: at(0), probability: 0.8 }, { at: at(1), probability: null }, { at: at(3), probability: 0.6 }, { at: at(5), probability: 0.99 }], day(0), day(4), true)!;
    expect(score.seconds).toBe(2 * 86_400);
    expect(score.brier).toBeCloseTo((0.04 + 0.16) / 2, 10);
    expect(scoreClaim([{ at: at(5), probability: 0.5 }], day(0), day(4), true)).toBeNull();
  });

  it('gives a peer score: the log score minus the reference\'s over the same span', () => {
    const mine = [{ at: at(2), probability: 0.8 }];
    const team = [{ at: at(0), probability: 0.5 }];
    expect(peerScore(mine, team, day(0), day(4), true)).toBeCloseTo(Math.log(0.8) - Math.log(0.5), 10);
  });

  it('puts a Wilson 95 % interval on an observed frequency', () => {
    const { low, high } = wilson(8, 10)!;
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 0)).toBeNull();
  });

  it('gives a source\'s agreement with outcomes as a Beta(1, 1) posterior: 18 of 20 → 0.864, about 0.70–0.97', () => {
    const a = agreement(18, 20);
    expect(a.mean).toBeCloseTo(0.8636, 4);
    expect(a.low).toBeGreaterThan(0.67);
    expect(a.low).toBeLessThan(0.71);
    expect(a.high).toBeGreaterThan(0.96);
    expect(a.high).toBeLessThan(0.98);
    // The quantiles invert the regularized incomplete beta function (Beta(2, 2) is symmetric).
    expect(regularizedBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect(betaQuantile(0.975, 19, 3)).toBeCloseTo(a.high, 10);
  });

  it('decomposes the Brier score (Murphy): reliability − resolution + uncertainty', () => {
    // Forecasts 0.2 (4 of 10 true) and 0.8 (7 of 10 true).
    const forecasts = [
      ...Array.from({ length: 10 }, (_, i) => ({ probability: 0.2, outcome: i < 4 })),
      ...Array.from({ length: 10 }, (_, i) => ({ probability: 0.8, outcome: i < 7 })),
    ];
    const terms = murphy([{ weight: 10, meanForecast: 0.2, observed: 0.4 }, { weight: 10, meanForecast: 0.8, observed: 0.7 }])!;
    expect(terms.reliability).toBeCloseTo((0.04 + 0.01) / 2, 12);
    expect(terms.uncertainty).toBeCloseTo(0.55 * 0.45, 12);
    expect(terms.reliability - terms.resolution + terms.uncertainty).toBeCloseTo(brierScore(forecasts), 12);
  });
});
