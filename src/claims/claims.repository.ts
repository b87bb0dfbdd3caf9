import { matchingSql } from '../common/text-search.js';
import { quoteSelectorsSql } from '../sources/dto/quote-selector.dto.js';
import { Injectable } from '@nestjs/common';
import { ASSESSMENT_COLUMNS, ASSESSMENT_ROW, toAssessment, type AssessmentSqlRow } from '../assessments/assessments.repository.js';
import type { AssessmentResponse } from '../assessments/dto/assessment.response.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import type { Tx } from '../database/transactions.js';
import type { Claim } from '../generated/prisma/client.js';
import type { Stance } from '../generated/prisma/enums.js';
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

/** Claims whose statement (English), evidence quotes or appearance quotes (their source's language) match a websearch query. */
const SEARCH = defineQuery<[q: string], { id: string }>(
  'claims_search',
  [
    matchingSql({ select: 'c.id', from: 'claims c', text: 'c.statement', language: 'NULL::text', query: '$1' }),
    matchingSql({ select: 'e.claim_id', from: 'evidence e JOIN sources s ON s.id = e.source_id', text: 'e.quote', language: 's.language', query: '$1' }),
    matchingSql({ select: 'a.claim_id', from: 'claim_appearances a JOIN sources s ON s.id = a.source_id', text: 'a.quote', language: 's.language', query: '$1' }),
  ].join('\n   UNION '),
  { id: true },
);

/** Each claim's newest audit snapshot made by $2. */
const SNAPSHOTS_AT = defineQuery<[claimIds: string[], asOf: Date], { after: Record<string, unknown> }>(
  'claim_snapshots_at',
  `SELECT DISTINCT ON (entity_id) after FROM audit_events
   WHERE entity_type = 'claim' AND entity_id = ANY($1::uuid[]) AND at <= $2 AND after IS NOT NULL
   ORDER BY entity_id, id DESC`,
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

  async search(q: string): Promise<string[]> {
    return (await queryRows(this.prisma.pool, SEARCH, [q])).map((row) => row.id);
  }

  async snapshotsAt(claimIds: string[], asOf: Date): Promise<Record<string, unknown>[]> {
    return (await queryRows(this.prisma.pool, SNAPSHOTS_AT, [claimIds, asOf])).map((row) => row.after);
  }
}
