import { inconsistencyScores, nonDiagnostic, type AchRatingInput } from './ach.js';

describe('ACH inconsistency scores (worked example)', () => {
  // Hypotheses: H1 no military support, H2 dual-use goods through companies only, H3 state-approved lethal aid.
  // Evidence: e1 credibility 2 (high weight √2), e2 credibility 3 (medium, 1), e3 credibility 5 (low, 1/√2).
  const hypotheses = ['H1', 'H2', 'H3'];
  const credibility = new Map([
    ['e1', 2],
    ['e2', 3],
    ['e3', 5],
  ]);
  const ratings: AchRatingInput[] = [
    // e1 "firms shipped UAV parts": II for H1 (high relevance), C for H2, C for H3.
    { evidenceId: 'e1', claimId: 'H1', consistency: 'II', relevance: 'high' },
    { evidenceId: 'e1', claimId: 'H2', consistency: 'C', relevance: 'high' },
    { evidenceId: 'e1', claimId: 'H3', consistency: 'C', relevance: 'high' },
    // e2 "no battlefield use found": I for H3 (medium), N elsewhere.
    { evidenceId: 'e2', claimId: 'H1', consistency: 'N', relevance: 'medium' },
    { evidenceId: 'e2', claimId: 'H2', consistency: 'N', relevance: 'medium' },
    { evidenceId: 'e2', claimId: 'H3', consistency: 'I', relevance: 'medium' },
    // e3 "China calls for peace": C against all three (low relevance): non-diagnostic.
    { evidenceId: 'e3', claimId: 'H1', consistency: 'C', relevance: 'low' },
    { evidenceId: 'e3', claimId: 'H2', consistency: 'C', relevance: 'low' },
    { evidenceId: 'e3', claimId: 'H3', consistency: 'C', relevance: 'low' },
  ];

  it('sums credibility × relevance × consistency per hypothesis', () => {
    const scores = inconsistencyScores(hypotheses, credibility, ratings);
    // H1: e1 √2 × √2 × (−2) = −4. H2: 0. H3: e2 1 × 1 × (−1) = −1.
    expect(scores.get('H1')).toBeCloseTo(-4, 12);
    expect(scores.get('H2')).toBe(0);
    expect(scores.get('H3')).toBeCloseTo(-1, 12);
  });

  it('marks evidence rated alike against every hypothesis as non-diagnostic, and ignores NA', () => {
    expect(nonDiagnostic(hypotheses, ratings)).toEqual(new Set(['e3']));
    const withNa = inconsistencyScores(hypotheses, credibility, [{ evidenceId: 'e2', claimId: 'H1', consistency: 'NA', relevance: 'high' }]);
    expect(withNa.get('H1')).toBe(0);
  });
});
