import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';

/** A claim that changed since the user last looked at it, as counted from the audit trail. */
export interface ChangedClaimRow {
  claimId: string;
  statement: string;
  /** The user's last look at it: their last visit, or when they last marked everything seen. */
  since: Date;
  lastChangeAt: Date;
  changes: number;
  changedBy: string[];
  kinds: string[];
  total: number;
}

/**
 * What changed since each claim's last look, other people's changes only: events of the
 * claim, its evidence, appearances and versions, and regrades of the sources its current
 * evidence comes from (they move its evidence-weighted probability). Most recent first.
 */
const CHANGED_SINCE_LOOKED = defineQuery<[userId: string, afterAt: Date | null, afterClaimId: string | null, limit: number], ChangedClaimRow>(
  'changed_since_looked',
  `WITH me AS (
     SELECT id, coalesce(seen_all_at, created_at) AS since FROM users WHERE id = $1
   ), events AS (
     SELECT e.claim_id, e.at, e.actor_id, e.actor_label, e.entity_type AS kind
     FROM audit_events e, me
     WHERE e.claim_id IS NOT NULL AND e.at > me.since AND e.actor_id IS DISTINCT FROM me.id
     UNION ALL
     SELECT DISTINCT ON (e.id, ev.claim_id) ev.claim_id, e.at, e.actor_id, e.actor_label, 'source'
     FROM audit_events e JOIN me ON e.at > me.since AND e.actor_id IS DISTINCT FROM me.id
     JOIN evidence ev ON ev.source_id = e.entity_id AND ev.archived_at IS NULL
     WHERE e.entity_type = 'source' AND e.before->>'reliability' IS DISTINCT FROM e.after->>'reliability' AND e.before IS NOT NULL
   ), unseen AS (
     SELECT events.*, greatest(v.seen_at, me.since) AS since
     FROM events CROSS JOIN me LEFT JOIN claim_visits v ON v.user_id = me.id AND v.claim_id = events.claim_id
     WHERE v.seen_at IS NULL OR events.at > v.seen_at
   ), changed AS (
     SELECT u.claim_id AS "claimId", c.statement, max(u.since) AS since, max(u.at) AS "lastChangeAt", count(*)::int AS changes,
            array_agg(DISTINCT coalesce(a.name, u.actor_label)) AS "changedBy", array_agg(DISTINCT u.kind) AS kinds
     FROM unseen u JOIN claims c ON c.id = u.claim_id AND c.archived_at IS NULL LEFT JOIN users a ON a.id = u.actor_id
     GROUP BY u.claim_id, c.statement
   )
   SELECT * FROM (SELECT changed.*, (count(*) OVER ())::int AS total FROM changed) page
   WHERE $2::timestamptz IS NULL OR ("lastChangeAt", "claimId") < ($2::timestamptz, $3::uuid)
   ORDER BY "lastChangeAt" DESC, "claimId" DESC
   LIMIT $4`,
  { claimId: true, statement: true, since: true, lastChangeAt: true, changes: true, changedBy: true, kinds: true, total: true },
);

/** Records a look at a claim now; a claim that does not exist records nothing. */
const VISIT = defineQuery<[userId: string, claimId: string], { seenAt: Date }>(
  'visit_claim',
  `INSERT INTO claim_visits (user_id, claim_id, seen_at)
   SELECT $1, id, now() FROM claims WHERE id = $2
   ON CONFLICT (user_id, claim_id) DO UPDATE SET seen_at = greatest(claim_visits.seen_at, excluded.seen_at)
   RETURNING seen_at AS "seenAt"`,
  { seenAt: true },
);

const SEEN_ALL = defineQuery<[userId: string], { seenAt: Date }>(
  'seen_all',
  `UPDATE users SET seen_all_at = now() WHERE id = $1 RETURNING seen_all_at AS "seenAt"`,
  { seenAt: true },
);

@Injectable()
export class VisitsRepository {
  constructor(private readonly prisma: PrismaService) {}

  changedSinceLooked(userId: string, after: { at: Date; claimId: string } | undefined, limit: number): Promise<ChangedClaimRow[]> {
    return queryRows(this.prisma.pool, CHANGED_SINCE_LOOKED, [userId, after?.at ?? null, after?.claimId ?? null, limit]);
  }

  async visit(userId: string, claimId: string): Promise<Date | undefined> {
    return (await queryRows(this.prisma.pool, VISIT, [userId, claimId]))[0]?.seenAt;
  }

  async seenAll(userId: string): Promise<Date | undefined> {
    return (await queryRows(this.prisma.pool, SEEN_ALL, [userId]))[0]?.seenAt;
  }
}
