import { Injectable } from '@nestjs/common';
import { EVIDENCE_IN_FORCE } from '../claims/claims.repository.js';
import { BLIND_SQL, LATEST_ESTIMATES_SQL, type LatestEstimate } from '../team/estimates.repository.js';
import { PrismaService } from '../database/prisma.service.js';
import { quoteSelectorsSql } from '../sources/dto/quote-selector.dto.js';
import { defineQuery, isoText, queryRows } from '../database/query.js';
import type { ReportEvidence } from './report.js';

/*
 * The report's bulk reads beyond the claim read model's, as plain SQL on the shared pool:
 * a report reads every claim's evidence, and row for row the ORM's generic path costs
 * several times more than the query itself.
 */

/** Evidence in force, strongest first, as ReportEvidence: EvidenceResponse with ISO 8601 text for times. */
const REPORT_EVIDENCE = defineQuery<[claimIds: string[], asOf: Date | null], ReportEvidence>(
  'report_evidence',
  `
  SELECT e.id, e.claim_id AS "claimId", e.source_id AS "sourceId", s.title AS "sourceTitle", s.reliability::text AS "sourceReliability",
         e.stance::text AS stance, e.quote, e.credibility, s.reliability::text || e.credibility AS grade, e.diagnosticity,
         ${isoText('e.observed_at')} AS "observedAt", e.notes, e.created_by_id AS "createdById",
         ${isoText('e.created_at')} AS "createdAt", ${isoText('e.updated_at')} AS "updatedAt", ${isoText('e.archived_at')} AS "archivedAt",
         e.originator_id AS "originatorId", o.name AS "originatorName",
         CASE WHEN e.archived_at IS NULL THEN e.origin_id END AS "originId", e.archived_at IS NULL AND e.counted AS counted,
         ${quoteSelectorsSql('e')} AS selectors, ${isoText('e.quote_drifted_at')} AS "quoteDriftedAt"
  FROM evidence e JOIN sources s ON s.id = e.source_id LEFT JOIN originators o ON o.id = e.originator_id
  WHERE e.claim_id = ANY($1::uuid[]) AND ${EVIDENCE_IN_FORCE}
  ORDER BY e.diagnosticity DESC, e.created_at ASC`,
  {
    id: true, claimId: true, sourceId: true, sourceTitle: true, sourceReliability: true, stance: true, quote: true, credibility: true, grade: true,
    diagnosticity: true, observedAt: true, notes: true, createdById: true, createdAt: true, updatedAt: true, archivedAt: true,
    originatorId: true, originatorName: true, originId: true, counted: true, selectors: true, quoteDriftedAt: true,
  },
);

/** Each claim's blindness and analysts' latest estimates (made by $2, or now): its team as the report shows it. */
const REPORT_TEAMS = defineQuery<[claimIds: string[], asOf: Date | null], { claimId: string; blind: boolean; estimates: LatestEstimate[] }>(
  'report_teams',
  `SELECT c.id AS "claimId", ${BLIND_SQL('c')} AS blind, (SELECT coalesce(json_agg(t), '[]') FROM (${LATEST_ESTIMATES_SQL('c.id', '$2')}) t) AS estimates
   FROM claims c WHERE c.id = ANY($1::uuid[])`,
  { claimId: true, blind: true, estimates: true },
);

/** The SHA-256 of each source's text, as UTF-8 (sources without text are left out). */
const TEXT_HASHES = defineQuery<[sourceIds: string[]], { id: string; sha256: string }>(
  'report_text_hashes',
  `SELECT id, encode(sha256(convert_to(full_text, 'UTF8')), 'hex') AS sha256 FROM sources WHERE id = ANY($1::uuid[]) AND full_text IS NOT NULL`,
  { id: true, sha256: true },
);

/** Every user, oldest first: the people a STIX export names, the first standing for the deployment. */
const PEOPLE = defineQuery<[], { id: string; name: string; createdAt: Date }>(
  'report_people',
  `SELECT id, name, created_at AS "createdAt" FROM users ORDER BY created_at, id`,
  { id: true, name: true, createdAt: true },
);

@Injectable()
export class ReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Evidence of the claims in force at `asOf` (or now), strongest first. */
  evidenceOf(claimIds: string[], asOf?: Date): Promise<ReportEvidence[]> {
    return queryRows(this.prisma.pool, REPORT_EVIDENCE, [claimIds, asOf ?? null]);
  }

  async textHashes(sourceIds: string[]): Promise<Map<string, string>> {
    return new Map((await queryRows(this.prisma.pool, TEXT_HASHES, [sourceIds])).map((row) => [row.id, row.sha256]));
  }

  people(): Promise<{ id: string; name: string; createdAt: Date }[]> {
    return queryRows(this.prisma.pool, PEOPLE, []);
  }

  teamsOf(claimIds: string[], asOf?: Date): Promise<{ claimId: string; blind: boolean; estimates: LatestEstimate[] }[]> {
    return queryRows(this.prisma.pool, REPORT_TEAMS, [claimIds, asOf ?? null]);
  }
}
