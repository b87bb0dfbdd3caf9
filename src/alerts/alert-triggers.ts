import { DISSENT_BANDS } from '../analysis/consensus.js';
import { estimativeBand } from '../vocabulary/estimative.js';
import type { AlertEventType, AlertTrigger } from '../vocabulary/alerts.js';

/** An event as the outbox holds it: what happened to a claim, with its values before and after. */
export interface OutboxEvent {
  type: AlertEventType;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** What a rule asks to be told of. */
export interface RuleTriggers {
  events: readonly AlertTrigger[];
  /** For "assessment.moved": the least move in percentage points. */
  minMovePoints: number | null;
}

const probability = (values: Record<string, unknown> | null): number | null =>
  typeof values?.probability === 'number' ? values.probability : null;

/** Both probabilities known and in different ICD 203 bands. */
function crossesBand(event: OutboxEvent): boolean {
  const [from, to] = [probability(event.before), probability(event.after)];
  return from !== null && to !== null && estimativeBand(from) !== estimativeBand(to);
}

/** The tests each trigger makes of an event of its type. */
const MET: Record<AlertTrigger, (event: OutboxEvent, rule: RuleTriggers) => boolean> = {
  'assessment.band_crossed': (event) => event.type === 'assessment.revised' && crossesBand(event),
  'assessment.moved': (event, rule) => {
    const [from, to] = [probability(event.before), probability(event.after)];
    // Points to one decimal, so that 0.75 → 0.82 is the 7 points it reads as, not 6.999….
    return event.type === 'assessment.revised' && from !== null && to !== null && Math.round(Math.abs(to - from) * 1000) / 10 >= (rule.minMovePoints ?? 1);
  },
  'evidence_probability.band_crossed': (event) => event.type === 'evidence_probability.changed' && crossesBand(event),
  'consensus.band_crossed': (event) => event.type === 'consensus.changed' && crossesBand(event),
  'consensus.dissent': (event) =>
    event.type === 'consensus.changed' && Number(event.after?.bandSpan ?? 0) >= DISSENT_BANDS && Number(event.before?.bandSpan ?? 0) < DISSENT_BANDS,
  'evidence.supporting': (event) => event.type === 'evidence.added' && event.after?.stance === 'supports',
  'evidence.contradicting': (event) => event.type === 'evidence.added' && event.after?.stance === 'contradicts',
  'source.regraded': (event) => event.type === 'source.regraded',
  'claim.resolved': (event) => event.type === 'claim.resolved',
  'claim.review_due': (event) => event.type === 'claim.review_due',
};

/** Which of the rule's triggers the event meets (none: the rule is not told). */
export function triggersMet(event: OutboxEvent, rule: RuleTriggers): AlertTrigger[] {
  return rule.events.filter((trigger) => MET[trigger](event, rule));
}
