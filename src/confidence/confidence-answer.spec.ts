import { serialize, toConfidence } from './confidence-answer.js';
import type { ConfidenceRow } from './confidence.repository.js';

const row = (overrides: Partial<ConfidenceRow>): ConfidenceRow => ({
  claimId: 'c1',
  statement: 'China is supplying arms to Russia',
  status: 'open',
  updatedAt: new Date('2024-01-01T00:00:00Z'),
  version: 1,
  probability: 0.9,
  confidence: 'high',
  assessedAt: new Date('2024-01-01T00:00:00Z'),
  assessedById: 'u1',
  assessedBy: 'Ana Lyst',
  supportingEvidence: 1,
  contradictingEvidence: 0,
  priorProbability: 0.3,
  evidenceLogOdds: Math.log(4),
  ...overrides,
});

describe('the confidence answer', () => {
  it('puts the evidence-weighted probability next to the analyst\'s and flags a gap between ICD 203 bands', () => {
    // logit(0.3) + ln 4 = 0.5390 → 0.6316: "likely", the analyst "very likely".
    const answer = toConfidence(row({}));
    expect(answer.evidenceProbability).toBeCloseTo(0.6316, 4);
    expect(answer).toMatchObject({ estimativeTerm: 'very likely', evidenceTerm: 'likely', gap: 'analyst: very likely; evidence: likely' });
  });

  it('flags no gap within one band, nor without an assessment', () => {
    expect(toConfidence(row({ probability: 0.7 })).gap).toBeNull();
    expect(toConfidence(row({ probability: null, confidence: null, version: 0 }))).toMatchObject({ estimativeTerm: null, gap: null });
    // No evidence and no prior: even chance.
    expect(toConfidence(row({ evidenceLogOdds: 0, priorProbability: null })).evidenceProbability).toBe(0.5);
  });

  it('is serialized once with a strong ETag that changes with the answer', () => {
    const a = serialize(toConfidence(row({})));
    expect(JSON.parse(a.json.toString())).toMatchObject({ claimId: 'c1', version: 1 });
    expect(a.etag).toMatch(/^"[\w-]+"$/);
    expect(serialize(toConfidence(row({}))).etag).toBe(a.etag);
    expect(serialize(toConfidence(row({ version: 2 }))).etag).not.toBe(a.etag);
  });
});
