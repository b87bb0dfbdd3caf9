/**
 * ICD 203 estimative language: the band each term covers. A value on an edge takes the
 * less extreme term (the one nearer 50 %), so a term never overstates certainty: 0.05 is
 * "very unlikely", 0.55 "roughly even chance", 0.80 "likely".
 *
 * Dependency-free: the console imports this module too (served at /vocabulary/).
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

/** Which band a probability falls in, counted from 0 ("almost no chance"): how many bands apart two judgements are. */
export function estimativeBand(probability: number): number {
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`probability out of range: ${probability}`);
  // In order: a band below 50 % leaves its upper edge to the next band; the others keep it.
  return ESTIMATIVE_TERMS.findIndex(({ to }) => (to < 0.5 ? probability < to : probability <= to));
}

export function estimativeTerm(probability: number): EstimativeTerm {
  return ESTIMATIVE_TERMS[estimativeBand(probability)].term;
}

const range = ({ from, to }: { from: number; to: number }) =>
  from === 0 ? `<${Math.round(to * 100)} %` : to === 1 ? `>${Math.round(from * 100)} %` : `${Math.round(from * 100)}-${Math.round(to * 100)} %`;

export const ESTIMATIVE_TERMS_DOC = `ICD 203 term: ${ESTIMATIVE_TERMS.map((band) => `${band.term} (${range(band)})`).join(', ')}. A value on a band edge takes the term nearer 50 %.`;
