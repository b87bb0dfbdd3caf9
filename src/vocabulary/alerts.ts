/**
 * What an alert rule can ask to be told of, and what happened (the type an event is delivered
 * with). Dependency-free: the console imports this module too (served at /vocabulary/).
 */
export const ALERT_TRIGGERS = [
  { trigger: 'assessment.band_crossed', label: 'Assessment crosses an ICD 203 band', event: 'assessment.revised' },
  { trigger: 'assessment.moved', label: 'Assessment moves by at least N points', event: 'assessment.revised' },
  { trigger: 'evidence_probability.band_crossed', label: 'Evidence-weighted probability crosses a band', event: 'evidence_probability.changed' },
  { trigger: 'consensus.band_crossed', label: 'Team consensus crosses a band', event: 'consensus.changed' },
  { trigger: 'consensus.dissent', label: 'Dissent appears in the team', event: 'consensus.changed' },
  { trigger: 'evidence.supporting', label: 'New supporting evidence', event: 'evidence.added' },
  { trigger: 'evidence.contradicting', label: 'New contradicting evidence', event: 'evidence.added' },
  { trigger: 'source.regraded', label: 'A source bearing on the claim is regraded', event: 'source.regraded' },
  { trigger: 'claim.resolved', label: 'The claim is resolved', event: 'claim.resolved' },
  { trigger: 'claim.review_due', label: 'Its review-by date passes', event: 'claim.review_due' },
] as const;

export type AlertTrigger = (typeof ALERT_TRIGGERS)[number]['trigger'];
export type AlertEventType = (typeof ALERT_TRIGGERS)[number]['event'] | 'ping';

export const ALERT_TRIGGER_NAMES: AlertTrigger[] = ALERT_TRIGGERS.map(({ trigger }) => trigger);

/** Everything that concerns one claim: what the console's watch button asks for. */
export const WATCH_TRIGGERS: AlertTrigger[] = ALERT_TRIGGER_NAMES.filter((trigger) => trigger !== 'assessment.moved');
