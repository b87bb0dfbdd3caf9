import { createHash, randomUUID } from 'node:crypto';
import { matchingSql } from '../common/text-search.js';
import { quoteSelectorsSql } from '../sources/dto/quote-selector.dto.js';
import { Injectable } from '@nestjs/common';
import { ASSESSMENT_COLUMNS, ASSESSMENT_ROW, toAssessment, type AssessmentSqlRow } from '../assessments/assessments.repository.js';
import type { AssessmentResponse } from '../assessments/dto/assessment.response.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows, type Query } from '../database/query.js';
import type { Tx } from '../database/transactions.js';
import type { Claim } from '../generated/prisma/client.js';
import type { ClaimStatus, Stance } from '../generated/prisma/enums.js';
import { DISSENT_BANDS } from '../analysis/consensus.js';
import { fitsColumn, readCursor, type KeysetOrder, type SortColumnType } from '../common/pagination.js';
import type { AppearanceResponse } from './dto/claim.response.js';

/*
 * Claim views read in bulk, as plain SQL on the shared pool: lists and reports read
 * hundreds of claims at a time, and row for row the ORM's generic path costs several
 * times more than the queries. Each statement is prepared once per connection.
 * $1 claim ids, $2 `asOf` (null for now).
 */

export type AppearanceRow = AppearanceResponse & { claimId: string };

/** Every column of a claim, named as the Prisma model names them (the row type and the contract test hold them to it). */
const CLAIM_COLUMNS = `
  id, statement, statement_key AS "statementKey", description, coalesce(topics, '{}') AS topics,
  coalesce(entities, '{}') AS entities, status::text AS status,
  current_version AS "currentVersion", current_probability AS "currentProbability", prior_probability AS "priorProbability",
  resolved_at AS "resolvedAt", resolution_source_id AS "resolutionSourceId", resolution_note AS "resolutionNote",
  created_by_id AS "createdById", created_at AS "createdAt", updated_at AS "updatedAt", archived_at AS "archivedAt", blind,
  team_probability AS "teamProbability", team_analysts AS "teamAnalysts", team_band_span AS "teamBandSpan", team_gap AS "teamGap",
  evidence_log_odds AS "evidenceLogOdds", evidence_probability AS "evidenceProbability", supporting_items AS "supportingItems",
  supporting_origins AS "supportingOrigins", contradicting_items AS "contradictingItems", contradicting_origins AS "contradictingOrigins",
  scored_at AS "scoredAt", review_by AS "reviewBy", review_due_announced AS "reviewDueAnnounced"`;
const CLAIM_ROW = {
  id: true, statement: true, statementKey: true, description: true, topics: true, entities: true, status: true, currentVersion: true,
  currentProbability: true, priorProbability: true, resolvedAt: true, resolutionSourceId: true, resolutionNote: true, createdById: true,
  createdAt: true, updatedAt: true, archivedAt: true, blind: true, teamProbability: true, teamAnalysts: true, teamBandSpan: true, teamGap: true,
  evidenceLogOdds: true, evidenceProbability: true, supportingItems: true, supportingOrigins: true, contradictingItems: true, contradictingOrigins: true,
  scoredAt: true, reviewBy: true, reviewDueAnnounced: true,
} as const;

const CLAIMS_BY_IDS = defineQuery<[claimIds: string[]], Claim>('claims_by_ids', `SELECT ${CLAIM_COLUMNS} FROM claims WHERE id = ANY($1::uuid[])`, CLAIM_ROW);
const CLAIM_FOR_UPDATE = defineQuery<[claimId: string], Claim>('claim_for_update', `SELECT ${CLAIM_COLUMNS} FROM claims WHERE id = $1::uuid FOR NO KEY UPDATE`, CLAIM_ROW);

/** Evidence (aliased `e`) that was current at $2, or is current now: recorded by then, not archived by then. */
export const EVIDENCE_IN_FORCE = `
  CASE WHEN $2::timestamptz IS NULL THEN e.archived_at IS NULL
       ELSE e.created_at <= $2 AND (e.archived_at IS NULL OR e.archived_at > $2) END`;

const APPEARANCES_OF = defineQuery<[claimIds: string[], asOf: Date | null], AppearanceRow>(
  'appearances_of',
  `SELECT a.id, a.claim_id AS "claimId", a.source_id AS "sourceId", s.title AS "sourceTitle", a.quote, a.originator_id AS "originatorId",
          ${quoteSelectorsSql('a')} AS selectors, a.quote_drifted_at AS "quoteDriftedAt", a.created_at AS "createdAt"
   FROM claim_appearances a JOIN sources s ON s.id = a.source_id
   WHERE a.claim_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR a.created_at <= $2)
   ORDER BY a.created_at, a.id`,
  { id: true, claimId: true, sourceId: true, sourceTitle: true, quote: true, originatorId: true, selectors: true, quoteDriftedAt: true, createdAt: true },
);

const EVIDENCE_COUNTS = defineQuery<[claimIds: string[], asOf: Date | null], { claimId: string; stance: Stance; count: number }>(
  'evidence_counts',
  `SELECT e.claim_id AS "claimId", e.stance::text AS stance, count(*)::int AS count
   FROM evidence e WHERE e.claim_id = ANY($1::uuid[]) AND ${EVIDENCE_IN_FORCE}
   GROUP BY e.claim_id, e.stance`,
  { claimId: true, stance: true, count: true },
);

/** Per claim of $1, the newest version made by $2 (or of all, when null). */
const ASSESSMENTS_IN_FORCE = defineQuery<[claimIds: string[], asOf: Date | null], AssessmentSqlRow>(
  'assessments_in_force',
  `SELECT DISTINCT ON (a.claim_id) ${ASSESSMENT_COLUMNS} FROM assessments a
   WHERE a.claim_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR a.created_at <= $2)
   ORDER BY a.claim_id, a.version DESC`,
  ASSESSMENT_ROW,
);

/** Every version of the claims of $1 made by $2 (or all, when null), oldest first. */
const HISTORIES = defineQuery<[claimIds: string[], asOf: Date | null], AssessmentSqlRow>(
  'assessment_histories',
  `SELECT ${ASSESSMENT_COLUMNS} FROM assessments a
   WHERE a.claim_id = ANY($1::uuid[]) AND ($2::timestamptz IS NULL OR a.created_at <= $2)
   ORDER BY a.claim_id, a.version`,
  ASSESSMENT_ROW,
);

/** Ids of the claims whose statement (English), evidence quotes or appearance quotes (their source's language) match the websearch query in parameter `query`. */
const claimsMatching = (query: string) =>
  [
    matchingSql({ select: 'c.id', from: 'claims c', text: 'c.statement', language: 'NULL::text', query }),
    matchingSql({ select: 'e.claim_id', from: 'evidence e JOIN sources s ON s.id = e.source_id', text: 'e.quote', language: 's.language', query }),
    matchingSql({ select: 'a.claim_id', from: 'claim_appearances a JOIN sources s ON s.id = a.source_id', text: 'a.quote', language: 's.language', query }),
  ].join('\n   UNION ');

const SEARCH = defineQuery<[q: string], { id: string }>('claims_search', claimsMatching('$1'), { id: true });

/** What a claim list selects (the claim list, the confidence feed, reports); each filter is optional. */
export interface ClaimFilter {
  /** Claims as they stood then: created by then, and (unless `includeArchived`) not archived by then. */
  asOf?: Date;
  includeArchived: boolean;
  reviewDue: boolean;
  dissent: boolean;
  teamGap: boolean;
  ids?: string[];
  status?: ClaimStatus;
  topic?: string;
  entity?: string;
  updatedSince?: Date;
  /** Claims that appear in, or have evidence (archived or not) from, this source. */
  sourceId?: string;
  /** A websearch query (see claimsMatching). */
  q?: string;
}

/** The claim columns a list can be sorted by: the type a cursor's value is read as, and whether it can be null (nulls sort last). */
const SORT_COLUMNS: Record<ClaimSortField, { column: string; type: SortColumnType; nullable: boolean }> = {
  updatedAt: { column: 'updated_at', type: 'timestamptz', nullable: false },
  createdAt: { column: 'created_at', type: 'timestamptz', nullable: false },
  currentProbability: { column: 'current_probability', type: 'float8', nullable: true },
  teamBandSpan: { column: 'team_band_span', type: 'int', nullable: true },
  teamGap: { column: 'team_gap', type: 'int', nullable: true },
};
export type ClaimSortField = 'updatedAt' | 'createdAt' | 'currentProbability' | 'teamBandSpan' | 'teamGap';
export type ClaimOrder = KeysetOrder & { field: ClaimSortField };

type PageRow = { total: number | null; id: string | null; value: Date | number | null };
interface PageRequest {
  /** The keyset position to continue after. */
  after?: { id: string; value: string | number | null };
  limit: number;
  counted: boolean;
}

/**
 * The claims a filter selects, the one statement of that rule: up to `limit` of them after a keyset position
 * in `order`, with their sort value, and, when `counted`, how many it selects in all. A search is matched
 * once, before the claims. Each filter given adds its condition and its parameter, so each combination is
 * its own statement, prepared once per connection and planned for those conditions alone (the partial
 * index of current claims serves lists of current claims; a search is joined to the claims it found).
 */
function pageQuery(filter: ClaimFilter, { field, direction }: ClaimOrder, { after, limit, counted }: PageRequest): { query: Query<unknown[], PageRow>; params: unknown[] } {
  const params: unknown[] = [];
  /** `value` as the next parameter, cast to `type`. */
  const param = (value: unknown, type: string) => (params.push(value), `$${params.length}::${type}`);
  const where: string[] = [];
  if (filter.asOf) {
    const asOf = param(filter.asOf, 'timestamptz');
    where.push(`c.created_at <= ${asOf}`);
    if (!filter.includeArchived) where.push(`(c.archived_at IS NULL OR c.archived_at > ${asOf})`);
  } else if (!filter.includeArchived) where.push('c.archived_at IS NULL');
  if (filter.reviewDue) where.push('c.review_by <= now()');
  if (filter.dissent) where.push(`c.team_band_span >= ${DISSENT_BANDS}`);
  if (filter.teamGap) where.push('c.team_gap >= 1');
  if (filter.ids) where.push(`c.id = ANY(${param(filter.ids, 'uuid[]')})`);
  if (filter.status) where.push(`c.status = ${param(filter.status, '"ClaimStatus"')}`);
  if (filter.topic) where.push(`c.topics @> ARRAY[${param(filter.topic, 'text')}]`);
  if (filter.entity) where.push(`c.entities @> ARRAY[${param(filter.entity, 'text')}]`);
  if (filter.updatedSince) where.push(`c.updated_at >= ${param(filter.updatedSince, 'timestamptz')}`);
  if (filter.sourceId) {
    const source = param(filter.sourceId, 'uuid');
    where.push(`(EXISTS (SELECT FROM claim_appearances a WHERE a.claim_id = c.id AND a.source_id = ${source})
                 OR EXISTS (SELECT FROM evidence e WHERE e.claim_id = c.id AND e.source_id = ${source}))`);
  }
  const search = filter.q === undefined ? '' : `matches AS MATERIALIZED (${claimsMatching(param(filter.q, 'text'))}),`;
  if (search) where.push('c.id = ANY(ARRAY(SELECT id FROM matches))');
  const { column, type, nullable } = SORT_COLUMNS[field];
  const [beyond, sortedAs] = [direction === 'asc' ? '>' : '<', `${direction}${nullable ? ' NULLS LAST' : ''}`];
  let past = 'true';
  if (after) {
    // Nulls sort last in either direction: after a null come only nulls, after a value come the nulls too.
    past =
      after.value === null
        ? `value IS NULL AND id ${beyond} ${param(after.id, 'uuid')}`
        : `((value, id) ${beyond} (${param(after.value, type)}, ${param(after.id, 'uuid')})${nullable ? ' OR value IS NULL' : ''})`;
  }
  const text = `WITH ${search} selected AS NOT MATERIALIZED (SELECT c.id, c.${column} AS value FROM claims c WHERE ${where.join(' AND ') || 'true'})
     SELECT count.total, page.id, page.value
     FROM (SELECT ${counted ? '(SELECT count(*)::int FROM selected)' : 'NULL::int'} AS total) count
     LEFT JOIN LATERAL (SELECT id, value FROM selected WHERE ${past} ORDER BY value ${sortedAs}, id ${direction} LIMIT ${param(limit, 'int')}) page ON true`;
  // Named after its text (a name has at most 63 bytes).
  return { query: { name: `claims_page_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`, text, columns: PAGE_COLUMNS }, params };
}
const PAGE_COLUMNS = ['total', 'id', 'value'] as const;

/** For the contract test: the statement with every filter, in each order. */
const EVERY_FILTER: ClaimFilter = {
  asOf: new Date(), includeArchived: false, reviewDue: true, dissent: true, teamGap: true, ids: [], status: 'open', topic: 't', entity: 'e',
  updatedSince: new Date(), sourceId: randomUUID(), q: 'q',
};
for (const field of Object.keys(SORT_COLUMNS) as ClaimSortField[]) {
  const { query } = pageQuery(EVERY_FILTER, { field, direction: 'desc' }, { after: { id: randomUUID(), value: 1 }, limit: 1, counted: true });
  defineQuery<unknown[], PageRow>(query.name, query.text, { total: true, id: true, value: true });
}

/**
 * Each claim's newest audit snapshot made by $2. A claim is recorded a moment after its `created_at`,
 * which lists go by: between the two, a claim created by then is its first snapshot.
 */
const SNAPSHOTS_AT = defineQuery<[claimIds: string[], asOf: Date], { after: Record<string, unknown> }>(
  'claim_snapshots_at',
  `SELECT DISTINCT ON (e.entity_id) e.after FROM audit_events e LEFT JOIN claims c ON c.id = e.entity_id
   WHERE e.entity_type = 'claim' AND e.entity_id = ANY($1::uuid[]) AND e.after IS NOT NULL AND (e.at <= $2 OR c.created_at <= $2)
   ORDER BY e.entity_id, e.at <= $2 DESC, CASE WHEN e.at <= $2 THEN e.id END DESC NULLS LAST, e.id`,
  { after: true },
);

/** What the claim rules and the claim read model ask of the database beyond Prisma's model calls. */
@Injectable()
export class ClaimsRepository {
  constructor(private readonly prisma: PrismaService) {}

  byIds(claimIds: string[]): Promise<Claim[]> {
    return queryRows(this.prisma.pool, CLAIMS_BY_IDS, [claimIds]);
  }

  /**
   * Reads and locks the claim row for the rest of the transaction, so concurrent
   * writers of the claim queue. (NO KEY: inserts of evidence referring to it go on.)
   */
  async lock(tx: Tx, claimId: string): Promise<Claim | undefined> {
    const [row] = await tx.$queryRawUnsafe<Claim[]>(CLAIM_FOR_UPDATE.text, claimId);
    return row;
  }

  appearancesOf(claimIds: string[], asOf?: Date): Promise<AppearanceRow[]> {
    return queryRows(this.prisma.pool, APPEARANCES_OF, [claimIds, asOf ?? null]);
  }

  evidenceCounts(claimIds: string[], asOf?: Date): Promise<{ claimId: string; stance: Stance; count: number }[]> {
    return queryRows(this.prisma.pool, EVIDENCE_COUNTS, [claimIds, asOf ?? null]);
  }

  /** Per claim, the newest version made at or before `asOf` (or the newest of all). */
  async inForce(claimIds: string[], asOf?: Date): Promise<Map<string, AssessmentResponse>> {
    const rows = await queryRows(this.prisma.pool, ASSESSMENTS_IN_FORCE, [claimIds, asOf ?? null]);
    return new Map(rows.map((row) => [row.claimId, toAssessment(row)]));
  }

  /** Every version of the claims made by `asOf` (or all), per claim oldest first. */
  async histories(claimIds: string[], asOf?: Date): Promise<AssessmentResponse[]> {
    return (await queryRows(this.prisma.pool, HISTORIES, [claimIds, asOf ?? null])).map(toAssessment);
  }

  /**
   * Up to `limit` claims `filter` selects after `cursor` in `order` (a field of SORT_COLUMNS), with their
   * sort value, and, when `counted`, how many it selects in all. A cursor of another order is a 400.
   */
  async page(filter: ClaimFilter, order: ClaimOrder, { cursor, limit, counted }: { cursor?: string; limit: number; counted: boolean }): Promise<{ rows: { id: string; value: Date | number | null }[]; total: number | null }> {
    const { type, nullable } = SORT_COLUMNS[order.field];
    const position = cursor === undefined ? undefined : readCursor(cursor, order, fitsColumn(type, nullable));
    const after = position && { id: position.id, value: position.value instanceof Date ? position.value.toISOString() : position.value };
    const { query, params } = pageQuery(filter, order, { after, limit, counted });
    const rows = await queryRows(this.prisma.pool, query, params);
    return { total: rows[0].total, rows: rows.flatMap(({ id, value }) => (id === null ? [] : [{ id, value }])) };
  }

  async search(q: string): Promise<string[]> {
    return (await queryRows(this.prisma.pool, SEARCH, [q])).map((row) => row.id);
  }

  async snapshotsAt(claimIds: string[], asOf: Date): Promise<Record<string, unknown>[]> {
    return (await queryRows(this.prisma.pool, SNAPSHOTS_AT, [claimIds, asOf])).map((row) => row.after);
  }
}
