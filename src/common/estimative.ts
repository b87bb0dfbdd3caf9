/**
 * ICD 203 estimative language. Each band is [from, to] in probability; a value on an
 * edge takes the less extreme term (the one nearer 50 %), so a term never overstates
 * certainty: 0.05 is "very unlikely", 0.55 "roughly even chance", 0.80 "likely".
 * Values below 1 % and above 99 % take the outermost terms.
 */
export const ESTIMATIVE_TERMS = [
  { term: 'almost no chance', from: 0, to: 0.05 },
  { term: 'very unlikely', from: 0.05, to: 0.2 },
  { term: 'unlikely', from: 0.2, to: 0.45 },
  { term: 'roughly even chance', from: 0.45, to: 0.55 },
  { term: 'likely', from: 0.55, to: 0.8 },
  { term: 'very likely', from: 0.8, to: 0.95 },
  { term: 'almost certain', from: 0.95, to: 1 },
] as const;

export type EstimativeTerm = (typeof ESTIMATIVE_TERMS)[number]['term'];

export const ESTIMATIVE_TERM_NAMES = ESTIMATIVE_TERMS.map((band) => band.term);

export function estimativeTerm(probability: number): EstimativeTerm {
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`probability out of range: ${probability}`);
  if (probability < 0.05) return 'almost no chance';
  if (probability < 0.2) return 'very unlikely';
  if (probability < 0.45) return 'unlikely';
  if (probability <= 0.55) return 'roughly even chance';
  if (probability <= 0.8) return 'likely';
  if (probability <= 0.95) return 'very likely';
  return 'almost certain';
}

export const ESTIMATIVE_TERMS_DOC =
  'ICD 203 term: almost no chance (<5 %), very unlikely (5-20 %), unlikely (20-45 %), roughly even chance (45-55 %), ' +
  'likely (55-80 %), very likely (80-95 %), almost certain (>95 %). A value on a band edge takes the term nearer 50 %.';
