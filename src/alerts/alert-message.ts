import { estimativeTerm } from '../vocabulary/estimative.js';
import type { DeliveryRow } from './alerts.repository.js';

/** Values as the event recorded them, with the ICD 203 term of any probability. */
function withTerm(values: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!values) return null;
  return typeof values.probability === 'number' ? { ...values, estimativeTerm: estimativeTerm(values.probability) } : values;
}

/** What an event says of its change, as webhook messages and the inbox both tell it. */
export function eventChange(event: { before: unknown; after: unknown; actorId: string | null; actorLabel: string | null; cause: string | null }) {
  return {
    before: withTerm(event.before as Record<string, unknown> | null),
    after: withTerm(event.after as Record<string, unknown> | null),
    actor: event.actorId || event.actorLabel ? { id: event.actorId, name: event.actorLabel } : null,
    cause: event.cause,
  };
}

/**
 * The body of a webhook message, in the Standard Webhooks shape (`type`, `timestamp`, `data`).
 * `data.eventId` is the event, the same for every rule it reached; the message id (the
 * webhook-id header) is the delivery, the same on every retry.
 */
export function alertMessage(delivery: DeliveryRow, claimPage: string) {
  return {
    type: delivery.type,
    timestamp: delivery.occurredAt.toISOString(),
    data: {
      eventId: delivery.eventId,
      rule: { id: delivery.ruleId, name: delivery.ruleName },
      triggers: delivery.triggers,
      claim: { id: delivery.claimId, statement: delivery.statement, url: claimPage },
      ...eventChange(delivery),
      occurredAt: delivery.occurredAt.toISOString(),
    },
  };
}

/** The message `POST /alert-rules/:id/test` sends. */
export const pingMessage = (rule: { id: string; name: string }, at: Date) => ({
  type: 'ping' as const,
  timestamp: at.toISOString(),
  data: { rule: { id: rule.id, name: rule.name }, message: 'A test message from Claimtrack: this receiver checks out.' },
});
