import { Injectable } from '@nestjs/common';
import { ClaimsRepository } from '../claims/claims.repository.js';
import { triggersMet } from './alert-triggers.js';
import { AlertsRepository, type ActiveRule, type DispatchEvent, type RuleMatch } from './alerts.repository.js';

/** Whether the rule's claim conditions (ids, topic, entity) hold for the event's claim; the saved search is checked apart. */
const claimMatches = (rule: ActiveRule, event: DispatchEvent) =>
  (rule.claimIds.length === 0 || rule.claimIds.includes(event.claimId)) &&
  (!rule.topic || event.topics.includes(rule.topic)) &&
  (!rule.entity || event.entities.includes(rule.entity));

/**
 * Hands an outbox event to the rules it meets (a job per event, from the transaction that
 * wrote it). A blind claim's consensus moves are told to no one, as the change feed keeps them.
 */
@Injectable()
export class AlertDispatcher {
  constructor(
    private readonly repository: AlertsRepository,
    private readonly claims: ClaimsRepository,
  ) {}

  async dispatch(eventId: string): Promise<void> {
    const event = await this.repository.event(eventId);
    if (!event || (event.blind && event.type === 'consensus.changed')) return;
    const matches: RuleMatch[] = [];
    for (const rule of await this.repository.activeRules()) {
      const triggers = claimMatches(rule, event) ? triggersMet(event, rule) : [];
      if (triggers.length === 0) continue;
      if (rule.search && !(await this.claims.search(rule.search)).includes(event.claimId)) continue;
      matches.push({ ruleId: rule.id, triggers, webhook: rule.webhook, inboxUserId: rule.inbox ? rule.ownerId : null });
    }
    if (matches.length) await this.repository.dispatch(event.id, matches);
  }
}
