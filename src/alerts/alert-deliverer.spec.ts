import { retryDelayMs } from './alert-deliverer.service.js';

describe('webhook retry schedule', () => {
  it('doubles from the base, with half of each wait random, up to an hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 5_000, 0))).toEqual([2_500, 5_000, 10_000, 20_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 5_000, 1))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(30, 5_000, 0)).toBe(1_800_000);
    expect(retryDelayMs(30, 5_000, 0.999)).toBeLessThanOrEqual(3_600_000);
  });

  it('spreads receivers that failed together', () => {
    const waits = new Set(Array.from({ length: 50 }, () => retryDelayMs(5, 5_000)));
    expect(waits.size).toBeGreaterThan(40);
  });

  it('keeps trying for a day with the defaults: 33 to 57 attempts (every wait at its longest or its shortest) before giving up', () => {
    // As the deliverer decides: another attempt while it would start within 24 h of the first.
    const attemptsWithin = (random: number) => {
      let elapsed = 0;
      let attempts = 1;
      while (elapsed + retryDelayMs(attempts, 5_000, random) <= 24 * 3_600_000) elapsed += retryDelayMs(attempts++, 5_000, random);
      return { attempts, hours: elapsed / 3_600_000 };
    };
    const slowest = attemptsWithin(1);
    const fastest = attemptsWithin(0);
    expect(slowest.hours).toBeGreaterThan(23);
    expect(fastest.hours).toBeGreaterThan(23.5);
    // 5 s doubling to the hour cap (10 waits, 1.4 h at most), then hourly: 1 + 10 + 22; at half each wait, 1 + 10 + 46.
    expect([slowest.attempts, fastest.attempts]).toEqual([33, 57]);
  });
});
