import { triggersMet, type OutboxEvent } from './alert-triggers.js';

const revised = (from: number | null, to: number): OutboxEvent => ({
  type: 'assessment.revised',
  before: from === null ? null : { probability: from },
  after: { probability: to },
});
const bands = { events: ['assessment.band_crossed'] as const, minMovePoints: null };

describe('alert triggers', () => {
  it('fires one band crossing for 0.75 → 0.82 (likely → very likely) and none for 0.82 → 0.85 (same band)', () => {
    expect(triggersMet(revised(0.75, 0.82), bands)).toEqual(['assessment.band_crossed']);
    expect(triggersMet(revised(0.82, 0.85), bands)).toEqual([]);
  });

  it('crosses on the edges as the estimative terms put them (0.80 is still likely)', () => {
    expect(triggersMet(revised(0.75, 0.8), bands)).toEqual([]);
    expect(triggersMet(revised(0.8, 0.8001), bands)).toEqual(['assessment.band_crossed']);
    expect(triggersMet(revised(0.46, 0.44), bands)).toEqual(['assessment.band_crossed']);
  });

  it('does not cross from no assessment at all', () => {
    expect(triggersMet(revised(null, 0.9), bands)).toEqual([]);
  });

  it('counts a move in percentage points against the rule\'s threshold, either way', () => {
    const moved = { events: ['assessment.moved'] as const, minMovePoints: 7 };
    expect(triggersMet(revised(0.75, 0.82), moved)).toEqual(['assessment.moved']);
    expect(triggersMet(revised(0.82, 0.75), moved)).toEqual(['assessment.moved']);
    expect(triggersMet(revised(0.75, 0.81), moved)).toEqual([]);
  });

  it('tells dissent when the spread reaches two bands, not while it stays there', () => {
    const dissent = { events: ['consensus.dissent'] as const, minMovePoints: null };
    const change = (from: number | null, to: number): OutboxEvent => ({ type: 'consensus.changed', before: { bandSpan: from }, after: { bandSpan: to } });
    expect(triggersMet(change(1, 2), dissent)).toEqual(['consensus.dissent']);
    expect(triggersMet(change(null, 3), dissent)).toEqual(['consensus.dissent']);
    expect(triggersMet(change(2, 3), dissent)).toEqual([]);
  });

  it('tells evidence by its stance', () => {
    const against = { events: ['evidence.contradicting'] as const, minMovePoints: null };
    expect(triggersMet({ type: 'evidence.added', before: null, after: { stance: 'contradicts' } }, against)).toEqual(['evidence.contradicting']);
    expect(triggersMet({ type: 'evidence.added', before: null, after: { stance: 'supports' } }, against)).toEqual([]);
  });

  it('meets only triggers of the event\'s own type', () => {
    const all = { events: ['claim.resolved', 'assessment.band_crossed', 'evidence_probability.band_crossed'] as const, minMovePoints: null };
    expect(triggersMet({ type: 'evidence_probability.changed', before: { probability: 0.5 }, after: { probability: 0.6 } }, all)).toEqual([
      'evidence_probability.band_crossed',
    ]);
  });
});
