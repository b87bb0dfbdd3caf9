import { serialize, toConfidence, toEntry } from './confidence-answer.js';
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
  supportingOrigins: 1,
  contradictingEvidence: 0,
  contradictingOrigins: 0,
  priorProbability: 0.3,
  evidenceLogOdds: Math.log(4),
  blind: false,
  estimates: [],
  ...overrides,
});

describe('the confidence answer', () => {
  it('puts the evidence-weighted probability next to the analyst\'s and flags a gap between ICD 203 bands', () => {
    // logit(0.3) + ln 4 = 0.5390 → 0.6316: "likely", the analyst "very likely".
    const answer = toConfidence(row({}), 1);
    expect(answer.evidenceProbability).toBeCloseTo(0.6316, 4);
    expect(answer).toMatchObject({ estimativeTerm: 'very likely', evidenceTerm: 'likely', gap: 'analyst: very likely; evidence: likely' });
  });

  it('flags no gap within one band, nor without an assessment', () => {
    expect(toConfidence(row({ probability: 0.7 }), 1).gap).toBeNull();
    expect(toConfidence(row({ probability: null, confidence: null, version: 0 }), 1)).toMatchObject({ estimativeTerm: null, gap: null });
    // No evidence and no prior: even chance.
    expect(toConfidence(row({ evidenceLogOdds: 0, priorProbability: null }), 1).evidenceProbability).toBe(0.5);
  });

  it('is serialized once with a strong ETag that changes with the answer', () => {
    const a = serialize(toConfidence(row({}), 1));
    expect(JSON.parse(a.json.toString())).toMatchObject({ claimId: 'c1', version: 1 });
    expect(a.etag).toMatch(/^"[\w-]+"$/);
    expect(serialize(toConfidence(row({}), 1)).etag).toBe(a.etag);
    expect(serialize(toConfidence(row({ version: 2 }), 1)).etag).not.toBe(a.etag);
  });

  it('carries the team: consensus, spread, dissent and the gap between record and consensus; hidden on a blind claim', () => {
    const estimate = (analystId: string, probability: number) => ({ analystId, analyst: analystId, version: 1, probability, confidence: 'moderate', estimatedAt: '2024-01-01T00:00:00.000Z', weight: 1 });
    const answer = toConfidence(row({ probability: 0.9, estimates: [estimate('a', 0.6), estimate('b', 0.7), estimate('c', 0.9)] }), 1);
    expect(answer.team).toMatchObject({ analysts: 3, estimativeTerm: 'likely', min: 0.6, max: 0.9, dissent: false, gap: 'record: very likely; team: likely', hidden: false });
    expect(answer.team.consensus).toBeCloseTo(0.7595, 3);
    expect(toConfidence(row({ estimates: [estimate('a', 0.3), estimate('b', 0.7)] }), 1).team.dissent).toBe(true);
    expect(toConfidence(row({}), 1).team).toMatchObject({ analysts: 0, consensus: null, dissent: false, gap: null });

    const blind = toEntry(toConfidence(row({ blind: true, estimates: [estimate('a', 0.6)] }), 1));
    expect(JSON.parse(blind.hidden!.json.toString()).team).toEqual({
      blind: true, hidden: true, analysts: 1, consensus: null, estimativeTerm: null, min: null, max: null, iqrLogOdds: null, dissent: null, gap: null,
    });
    expect(blind.hidden!.etag).not.toBe(blind.full.etag);
    expect(toEntry(toConfidence(row({}), 1)).hidden).toBeNull();
  });
});
