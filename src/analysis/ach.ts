import type { AchWeight, Consistency } from '../generated/prisma/enums.js';

/**
 * Analysis of Competing Hypotheses as in PARC ACH: a hypothesis is weakened by the
 * evidence inconsistent with it. Its score is the sum over evidence of
 * credibility × relevance × consistency, with II = −2, I = −1 and N, C, CC = 0
 * (consistency does not prove a hypothesis); NA cells are left out. Weights:
 * low 1/√2, medium 1, high √2. Admiralty credibility 1–2 counts as high, 3–4 as
 * medium, 5–6 as low. The least negative score marks the likeliest hypothesis.
 */
export const ACH_WEIGHT: Record<AchWeight, number> = { low: Math.SQRT1_2, medium: 1, high: Math.SQRT2 };
export const CONSISTENCY_VALUE: Record<Consistency, number | null> = { CC: 0, C: 0, N: 0, I: -1, II: -2, NA: null };

export function credibilityWeight(credibility: number): AchWeight {
  return credibility <= 2 ? 'high' : credibility <= 4 ? 'medium' : 'low';
}

export interface AchRatingInput {
  evidenceId: string;
  claimId: string;
  consistency: Consistency;
  relevance: AchWeight;
}

/** Inconsistency score per hypothesis (claim id). */
export function inconsistencyScores(hypotheses: string[], credibilityOf: Map<string, number>, ratings: AchRatingInput[]): Map<string, number> {
  const scores = new Map(hypotheses.map((id) => [id, 0]));
  for (const rating of ratings) {
    const value = CONSISTENCY_VALUE[rating.consistency];
    const credibility = credibilityOf.get(rating.evidenceId);
    if (value === null || credibility === undefined || !scores.has(rating.claimId)) continue;
    scores.set(rating.claimId, scores.get(rating.claimId)! + ACH_WEIGHT[credibilityWeight(credibility)] * ACH_WEIGHT[rating.relevance] * value);
  }
  return scores;
}

/** Evidence rated the same against every hypothesis cannot tell them apart. */
export function nonDiagnostic(hypotheses: string[], ratings: AchRatingInput[]): Set<string> {
  const byEvidence = new Map<string, AchRatingInput[]>();
  for (const rating of ratings) byEvidence.set(rating.evidenceId, [...(byEvidence.get(rating.evidenceId) ?? []), rating]);
  const result = new Set<string>();
  for (const [evidenceId, own] of byEvidence) {
    const complete = hypotheses.every((h) => own.some((r) => r.claimId === h));
    if (complete && new Set(own.map((r) => r.consistency)).size === 1) result.add(evidenceId);
  }
  return result;
}
