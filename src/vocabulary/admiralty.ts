/**
 * The Admiralty (STANAG 2511) grading scales, with the weight each grade carries in the
 * evidence-weighted probability. "Cannot be judged" (F, 6) counts half.
 *
 * Dependency-free: the console imports this module too (served at /vocabulary/).
 */
/**
 * The scale, with the weight a grade gives evidence and the track record that earns it: the
 * least posterior mean agreement with outcomes (see src/analysis/track-record.ts) for which the
 * grade is suggested, once a source or originator has 10 items on resolved claims. F is never
 * suggested: a track record is exactly what lets reliability be judged.
 */
export const SOURCE_RELIABILITY = {
  A: { label: 'completely reliable', weight: 1, earnedAt: 0.9 },
  B: { label: 'usually reliable', weight: 0.8, earnedAt: 0.75 },
  C: { label: 'fairly reliable', weight: 0.6, earnedAt: 0.6 },
  D: { label: 'not usually reliable', weight: 0.4, earnedAt: 0.45 },
  E: { label: 'unreliable', weight: 0.2, earnedAt: 0 },
  F: { label: 'reliability cannot be judged', weight: 0.5, earnedAt: null },
} as const;

/** Items on resolved claims a track record needs before it suggests a grade. */
export const SUGGESTION_MIN_ITEMS = 10;

/** The grade a track record earns: the best whose threshold its mean agreement reaches. */
export function earnedGrade(meanAgreement: number): SourceReliability {
  return (Object.entries(SOURCE_RELIABILITY) as [SourceReliability, { earnedAt: number | null }][]).find(([, g]) => g.earnedAt !== null && meanAgreement >= g.earnedAt)![0];
}

export const INFORMATION_CREDIBILITY = {
  1: { label: 'confirmed', weight: 1 },
  2: { label: 'probably true', weight: 0.8 },
  3: { label: 'possibly true', weight: 0.6 },
  4: { label: 'doubtful', weight: 0.4 },
  5: { label: 'improbable', weight: 0.2 },
  6: { label: 'cannot be judged', weight: 0.5 },
} as const;

export type SourceReliability = keyof typeof SOURCE_RELIABILITY;
export type InformationCredibility = keyof typeof INFORMATION_CREDIBILITY;

export const credibilityLabel = (credibility: number) => INFORMATION_CREDIBILITY[credibility as InformationCredibility]?.label ?? '';

export const SOURCE_RELIABILITY_DOC = `Admiralty source reliability: ${Object.entries(SOURCE_RELIABILITY)
  .map(([grade, { label }]) => `${grade} ${label}`)
  .join(', ')}.`;
export const INFORMATION_CREDIBILITY_DOC = `Admiralty information credibility: ${Object.entries(INFORMATION_CREDIBILITY)
  .map(([grade, { label }]) => `${grade} ${label}`)
  .join(', ')}.`;
