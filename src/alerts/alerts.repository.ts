import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import { BLIND_SQL } from '../team/estimates.repository.js';
import type { AlertEventType, AlertTrigger } from '../vocabulary/alerts.js';

/** An outbox event with what rules match on: its claim's topics, entities, and whether it is blind. */
export interface DispatchEvent {
  id: string;
  type: AlertEventType;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  claimId: string;
  topics: string[];
  entities: string[];
  blind: boolean;
}

export interface ActiveRule {
  id: string;
  ownerId: string | null;
  claimIds: string[];
  topic: string | null;
  entity: string | null;
  search: string | null;
  events: AlertTrigger[];
  minMovePoints: number | null;
  webhook: boolean;
  inbox: boolean;
}

/** A rule the event meets, and the triggers it met. */
export interface RuleMatch {
  ruleId: string;
  triggers: AlertTrigger[];
  webhook: boolean;
  /** The owner, when the rule delivers to their inbox. */
  inboxUserId: string | null;
}

/** A delivery with what its message says and where it goes. */
export interface DeliveryRow {
  id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  firstAttemptAt: Date | null;
  triggers: AlertTrigger[];
  ruleId: string;
  ruleName: string;
  webhookUrl: string | null;
  webhookSecret: string | null;
  ruleDisabled: boolean;
  eventId: string;
  type: AlertEventType;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  actorId: string | null;
  actorLabel: string | null;
  cause: string | null;
  occurredAt: Date;
  claimId: string;
  statement: string;
}

/** What one attempt came to: delivered, to be retried at `nextAttemptAt`, or failed (with `disableRule` for 410 Gone). */
export interface AttemptOutcome {
  deliveryId: string;
  /** The attempt this was (the delivery's attempts before it): a stale job's outcome is dropped. */
  attempt: number;
  at: Date;
  status: 'pending' | 'delivered' | 'failed';
  responseStatus: number | null;
  error: string | null;
  response: string;
  nextAttemptAt: Date | null;
  disableRule: string | null;
}

/** Jobs of the queue (graphile-worker): the dispatcher's, and each delivery attempt's. */
export const DISPATCH_TASK = 'alerts.dispatch';
export const DELIVER_TASK = 'alerts.deliver';
const deliveryJob = (id: string, attempt: string, runAt: string) =>
  `graphile_worker.add_job('${DELIVER_TASK}', json_build_object('deliveryId', ${id}, 'attempt', ${attempt}), run_at := ${runAt}, job_key := 'alert-delivery:' || ${id})`;

const EVENT = defineQuery<[eventId: string], DispatchEvent>(
  'alerts_event',
  `SELECT e.id, e.type, e.before, e.after, e.claim_id AS "claimId", coalesce(c.topics, '{}') AS topics, coalesce(c.entities, '{}') AS entities, ${BLIND_SQL('c')} AS blind
   FROM alert_events e JOIN claims c ON c.id = e.claim_id WHERE e.id = $1 AND c.archived_at IS NULL`,
  { id: true, type: true, before: true, after: true, claimId: true, topics: true, entities: true, blind: true },
);

/** Enabled rules of owners still able to sign in, and integrations. */
const ACTIVE_RULES = defineQuery<[], ActiveRule>(
  'alerts_active_rules',
  `SELECT r.id, r.owner_id AS "ownerId", coalesce(r.claim_ids::text[], '{}') AS "claimIds", r.topic, r.entity, r.search, r.events,
          r.min_move_points AS "minMovePoints", r.webhook_url IS NOT NULL AS webhook, r.inbox
   FROM alert_rules r LEFT JOIN users u ON u.id = r.owner_id
   WHERE r.disabled_at IS NULL AND (r.owner_id IS NULL OR u.disabled_at IS NULL)`,
  { id: true, ownerId: true, claimIds: true, topic: true, entity: true, search: true, events: true, minMovePoints: true, webhook: true, inbox: true },
);

/**
 * Hands event $1 to the rules it meets, in one statement: a delivery per webhook rule, an inbox
 * item per owner. A delivery is unique per event and rule, so a dispatch run twice (its job retried
 * after a crash) adds nothing the first one made. The dispatcher makes each new delivery's first
 * attempt itself, at once; its job (due $6 seconds later) is the safety net should it die first.
 * Per match: $2 rule, $3 its triggers (comma-separated), $4 whether it has a webhook, $5 the inbox's user.
 */
const DISPATCH = defineQuery<
  [eventId: string, ruleIds: string[], triggers: string[], webhooks: boolean[], inboxUsers: (string | null)[], safetyDelaySeconds: number],
  { id: string }
>(
  'alerts_dispatch',
  `WITH matched AS (
     SELECT * FROM unnest($2::uuid[], $3::text[], $4::bool[], $5::uuid[]) AS m(rule_id, triggers, webhook, user_id)
   ), deliveries AS (
     INSERT INTO alert_deliveries (id, event_id, rule_id, triggers)
     SELECT gen_random_uuid(), $1::uuid, rule_id, string_to_array(triggers, ',') FROM matched WHERE webhook
     ON CONFLICT (event_id, rule_id) DO NOTHING
     RETURNING id
   ), jobs AS (
     SELECT id, ${deliveryJob('id', '0', 'now() + make_interval(secs => $6)')} FROM deliveries
   ), inbox AS (
     INSERT INTO inbox_items (id, user_id, event_id, rule_id, triggers)
     SELECT DISTINCT ON (user_id) gen_random_uuid(), user_id, $1::uuid, rule_id, string_to_array(triggers, ',') FROM matched WHERE user_id IS NOT NULL
     ON CONFLICT (user_id, event_id) DO NOTHING
   )
   SELECT id FROM jobs`,
  { id: true },
);

const DELIVERY = defineQuery<[deliveryId: string], DeliveryRow>(
  'alerts_delivery',
  `SELECT d.id, d.status, d.attempts, d.first_attempt_at AS "firstAttemptAt", d.triggers,
          r.id AS "ruleId", r.name AS "ruleName", r.webhook_url AS "webhookUrl", r.webhook_secret AS "webhookSecret", r.disabled_at IS NOT NULL AS "ruleDisabled",
          e.id AS "eventId", e.type, e.before, e.after, e.actor_id AS "actorId", e.actor_label AS "actorLabel", e.cause, e.occurred_at AS "occurredAt",
          c.id AS "claimId", c.statement
   FROM alert_deliveries d JOIN alert_rules r ON r.id = d.rule_id JOIN alert_events e ON e.id = d.event_id JOIN claims c ON c.id = e.claim_id
   WHERE d.id = $1`,
  {
    id: true, status: true, attempts: true, firstAttemptAt: true, triggers: true, ruleId: true, ruleName: true, webhookUrl: true, webhookSecret: true,
    ruleDisabled: true, eventId: true, type: true, before: true, after: true, actorId: true, actorLabel: true, cause: true, occurredAt: true,
    claimId: true, statement: true,
  },
);

/**
 * Records attempt $2 of delivery $1, if it is still the delivery's next one (a job run twice
 * records once); with $8 a next attempt, its job (replacing the one waiting), in the same
 * statement; settled (delivered or failed), the waiting job goes; with $9 the rule is disabled
 * (the receiver said 410 Gone).
 */
const RECORD_ATTEMPT = defineQuery<
  [id: string, attempt: number, at: Date, status: string, responseStatus: number | null, error: string | null, response: string, nextAttemptAt: Date | null, disableRule: string | null],
  { recorded: number; retries: number; settled: number }
>(
  'alerts_record_attempt',
  `WITH recorded AS (
     UPDATE alert_deliveries SET attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, $3), last_attempt_at = $3,
       status = $4, last_status = $5, last_error = $6, last_response = $7, next_attempt_at = $8,
       delivered_at = CASE WHEN $4 = 'delivered' THEN $3::timestamptz END
     WHERE id = $1 AND attempts = $2 AND status = 'pending'
     RETURNING id, attempts, rule_id
   ), retry AS (
     SELECT ${deliveryJob('id', 'attempts', '$8')} FROM recorded WHERE $8::timestamptz IS NOT NULL
   ), settled AS (
     SELECT graphile_worker.remove_job('alert-delivery:' || id) FROM recorded WHERE $4 <> 'pending'
   ), gone AS (
     UPDATE alert_rules SET disabled_at = $3, disabled_reason = $9 WHERE $9::text IS NOT NULL AND id IN (SELECT rule_id FROM recorded) AND disabled_at IS NULL
   )
   SELECT (SELECT count(*) FROM recorded)::int AS recorded, (SELECT count(*) FROM retry)::int AS retries, (SELECT count(*) FROM settled)::int AS settled`,
  { recorded: true, retries: true, settled: true },
);

/** Sends failed delivery $1 again from a fresh retry period (its attempts keep counting). */
const REDELIVER = defineQuery<[deliveryId: string], { id: string }>(
  'alerts_redeliver',
  `WITH again AS (
     UPDATE alert_deliveries SET status = 'pending', first_attempt_at = NULL, next_attempt_at = now() WHERE id = $1 AND status = 'failed'
     RETURNING id, attempts
   )
   SELECT id FROM again, LATERAL (SELECT ${deliveryJob('again.id', 'again.attempts', 'now()')}) job`,
  { id: true },
);

/** Claims whose review-by time has passed, each announced once per review-by time (an outbox event). */
const ANNOUNCE_DUE_REVIEWS = defineQuery<[], { id: string }>(
  'alerts_due_reviews',
  `WITH due AS (
     UPDATE claims SET review_due_announced = review_by
     WHERE review_by <= now() AND archived_at IS NULL AND review_due_announced IS DISTINCT FROM review_by
     RETURNING id, review_by, current_probability
   )
   SELECT due.id FROM due, LATERAL (SELECT alert_event('claim.review_due', due.id, NULL,
     jsonb_build_object('reviewBy', due.review_by, 'probability', due.current_probability), NULL, 'review-by')) announced`,
  { id: true },
);

/** Releases the jobs of workers that hold a lock longer than $1 seconds (no job of ours runs that long: the worker died). */
const UNLOCK_STALE = defineQuery<[seconds: number], { workers: number }>(
  'alerts_unlock_stale',
  `SELECT cardinality(stale.ids) AS workers FROM (
     SELECT array_agg(DISTINCT locked_by) AS ids FROM graphile_worker.jobs WHERE locked_at < now() - make_interval(secs => $1)
   ) stale, LATERAL (SELECT graphile_worker.force_unlock_workers(stale.ids)) unlocked
   WHERE stale.ids IS NOT NULL`,
  { workers: true },
);

/** What alerts ask of the database beyond Prisma's model calls: the outbox's dispatch and delivery. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async event(eventId: string): Promise<DispatchEvent | undefined> {
    return (await queryRows(this.prisma.pool, EVENT, [eventId]))[0];
  }

  activeRules(): Promise<ActiveRule[]> {
    return queryRows(this.prisma.pool, ACTIVE_RULES, []);
  }

  /** The new deliveries' ids. */
  async dispatch(eventId: string, matches: RuleMatch[], safetyDelaySeconds: number): Promise<string[]> {
    const rows = await queryRows(this.prisma.pool, DISPATCH, [
      eventId,
      matches.map((m) => m.ruleId),
      matches.map((m) => m.triggers.join(',')),
      matches.map((m) => m.webhook),
      matches.map((m) => m.inboxUserId),
      safetyDelaySeconds,
    ]);
    return rows.map((row) => row.id);
  }

  async delivery(deliveryId: string): Promise<DeliveryRow | undefined> {
    return (await queryRows(this.prisma.pool, DELIVERY, [deliveryId]))[0];
  }

  /** False when the attempt was already recorded (its job ran again). */
  async recordAttempt(o: AttemptOutcome): Promise<boolean> {
    const [{ recorded }] = await queryRows(this.prisma.pool, RECORD_ATTEMPT, [
      o.deliveryId, o.attempt, o.at, o.status, o.responseStatus, o.error, o.response, o.nextAttemptAt, o.disableRule,
    ]);
    return recorded === 1;
  }

  /** False when the delivery is not failed (pending or delivered). */
  async redeliver(deliveryId: string): Promise<boolean> {
    return (await queryRows(this.prisma.pool, REDELIVER, [deliveryId])).length === 1;
  }

  async announceDueReviews(): Promise<number> {
    return (await queryRows(this.prisma.pool, ANNOUNCE_DUE_REVIEWS, [])).length;
  }

  async unlockStaleJobs(seconds: number): Promise<number> {
    return (await queryRows(this.prisma.pool, UNLOCK_STALE, [seconds]))[0]?.workers ?? 0;
  }
}
