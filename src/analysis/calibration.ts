import { ESTIMATIVE_TERMS, estimativeTerm, type EstimativeTerm } from '../vocabulary/estimative.js';

/** A probability given before the truth was known, and the truth. */
export interface Forecast {
  probability: number;
  outcome: boolean;
}

/** Mean squared error of probabilities against outcomes: 0 is perfect, 0.25 is always saying 50 %. */
export function brierScore(forecasts: Forecast[]): number | null {
  if (forecasts.length === 0) return null;
  return forecasts.reduce((sum, f) => sum + (f.probability - (f.outcome ? 1 : 0)) ** 2, 0) / forecasts.length;
}

export interface CalibrationRow {
  term: EstimativeTerm;
  from: number;
  to: number;
  forecasts: number;
  meanProbability: number | null;
  observedFrequency: number | null;
}

/** Per ICD 203 band: how often claims given that band turned out true, against what was predicted. */
export function calibrationTable(forecasts: Forecast[]): CalibrationRow[] {
  return ESTIMATIVE_TERMS.map(({ term, from, to }) => {
    const inBand = forecasts.filter((f) => estimativeTerm(f.probability) === term);
    const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
    return {
      term,
      from,
      to,
      forecasts: inBand.length,
      meanProbability: mean(inBand.map((f) => f.probability)),
      observedFrequency: mean(inBand.map((f) => (f.outcome ? 1 : 0))),
    };
  });
}
