import { brierScore, calibrationTable } from './calibration.js';

describe('calibration (worked examples)', () => {
  it('scores forecasts by the mean squared error against outcomes', () => {
    // (0.9 − 1)² = 0.01, (0.4 − 1)² = 0.36, (0.2 − 0)² = 0.04, (0.7 − 0)² = 0.49 → mean 0.225.
    const forecasts = [
      { probability: 0.9, outcome: true },
      { probability: 0.4, outcome: true },
      { probability: 0.2, outcome: false },
      { probability: 0.7, outcome: false },
    ];
    expect(brierScore(forecasts)).toBeCloseTo(0.225, 12);
    expect(brierScore([{ probability: 0.5, outcome: true }])).toBe(0.25);
    expect(brierScore([])).toBeNull();
  });

  it('tabulates predicted against observed frequency per ICD 203 band', () => {
    const table = calibrationTable([
      { probability: 0.7, outcome: true },
      { probability: 0.6, outcome: false },
      { probability: 0.75, outcome: true },
      { probability: 0.1, outcome: false },
    ]);
    const likely = table.find((row) => row.term === 'likely')!;
    // Three "likely" forecasts: mean (0.7 + 0.6 + 0.75) / 3 = 0.68333; two of three came true.
    expect(likely.forecasts).toBe(3);
    expect(likely.meanProbability).toBeCloseTo(0.68333, 5);
    expect(likely.observedFrequency).toBeCloseTo(2 / 3, 12);
    expect(table.find((row) => row.term === 'very unlikely')).toMatchObject({ forecasts: 1, observedFrequency: 0 });
    expect(table.find((row) => row.term === 'almost certain')).toMatchObject({ forecasts: 0, meanProbability: null, observedFrequency: null });
  });
});
