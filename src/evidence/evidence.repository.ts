import { Injectable } from '@nestjs/common';
import { EVIDENCE_IN_FORCE } from '../claims/claims.repository.js';
import { matchingSql } from '../common/text-search.js';
import { fitsColumn, readCursor, sortOrder, type KeysetOrder } from '../common/pagination.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import type { Reliability, Stance } from '../generated/prisma/enums.js';
import type { EvidenceRow } from './dto/evidence.response.js';
import { EVIDENCE_SORTS, type EvidenceSort } from './dto/evidence-query.dto.js';

/** What a claim's evidence list is filtered by; each filter is optional. */
export interface EvidenceFilter {
  asOf?: Date;
  includeArchived: boolean;
  stance?: Stance;
  sourceId?: string;
  updatedSince?: Date;
  /** A websearch query matched against the quotes. */
  q?: string;
}

type Params = [
  claimId: string, asOf: Date | null, includeArchived: boolean, stance: Stance | null, sourceId: string | null, updatedSince: Date | null,
  q: string | null, cursorValue: string | number | null, cursorId: string | null, limit: number,
];

type PageRow = Omit<EvidenceRow, 'source' | 'originator'> & { total: number; sourceTitle: string; sourceReliability: Reliability; originatorName: string | null };

/** The column each sort field orders by, and the type its cursor value is read as. */
const SORTS = {
  createdAt: { column: 'created_at', type: 'timestamptz' },
  diagnosticity: { column: 'diagnosticity', type: 'float8' },
  credibility: { column: 'credibility', type: 'int' },
} as const;

/**
 * One page of a claim's evidence, and how many items the filters select, in one statement. The claim's
 * items are taken first (a claim has tens or hundreds) and the search matched on those alone: otherwise a
 * common word's index entries (every quote of every claim) are read to keep the claim's few.
 */
const pageQuery = ({ field, direction }: KeysetOrder) => {
  const { column, type } = SORTS[field as keyof typeof SORTS];
  return defineQuery<Params, PageRow>(
    `evidence_page_${field}_${direction}`,
    `WITH selected AS MATERIALIZED (
       SELECT e.* FROM evidence e
       WHERE e.claim_id = $1::uuid
         AND CASE WHEN $3::boolean THEN $2::timestamptz IS NULL OR e.created_at <= $2 ELSE ${EVIDENCE_IN_FORCE} END
         AND ($4::"Stance" IS NULL OR e.stance = $4) AND ($5::uuid IS NULL OR e.source_id = $5) AND ($6::timestamptz IS NULL OR e.updated_at >= $6)),
     matching AS (
       SELECT * FROM selected
       WHERE $7::text IS NULL OR id IN (${matchingSql({ select: 'e.id', from: 'selected e JOIN sources s ON s.id = e.source_id', text: 'e.quote', language: 's.language', query: '$7' })}))
     SELECT count.total, page.* FROM (SELECT count(*)::int AS total FROM matching) count
     LEFT JOIN LATERAL (
       SELECT e.id, e.claim_id AS "claimId", e.source_id AS "sourceId", e.stance, e.quote, e.quote_prefix AS "quotePrefix", e.quote_suffix AS "quoteSuffix",
              e.quote_start AS "quoteStart", e.quote_end AS "quoteEnd", e.quote_drifted_at AS "quoteDriftedAt", e.credibility, e.diagnosticity,
              e.observed_at AS "observedAt", e.notes, e.originator_id AS "originatorId", e.origin_id AS "originId", e.counted,
              e.created_by_id AS "createdById", e.created_at AS "createdAt", e.updated_at AS "updatedAt", e.archived_at AS "archivedAt",
              s.title AS "sourceTitle", s.reliability AS "sourceReliability", o.name AS "originatorName"
       FROM matching e JOIN sources s ON s.id = e.source_id LEFT JOIN originators o ON o.id = e.originator_id
       WHERE $9::uuid IS NULL OR (e.${column}, e.id) ${direction === 'asc' ? '>' : '<'} ($8::${type}, $9::uuid)
       ORDER BY e.${column} ${direction}, e.id ${direction}
       LIMIT $10::int) page ON true`,
    {
      total: true, id: true, claimId: true, sourceId: true, stance: true, quote: true, quotePrefix: true, quoteSuffix: true, quoteStart: true, quoteEnd: true,
      quoteDriftedAt: true, credibility: true, diagnosticity: true, observedAt: true, notes: true, originatorId: true, originId: true, counted: true,
      createdById: true, createdAt: true, updatedAt: true, archivedAt: true, sourceTitle: true, sourceReliability: true, originatorName: true,
    },
  );
};

/** A statement for each sort the list offers. */
const PAGES = Object.fromEntries(EVIDENCE_SORTS.map((sort) => [sort, pageQuery(sortOrder(sort))])) as Record<EvidenceSort, ReturnType<typeof pageQuery>>;

@Injectable()
export class EvidenceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Up to `limit` of a claim's items the filter selects, after `cursor` in `sort`, and how many it selects in all. */
  async page(claimId: string, filter: EvidenceFilter, sort: EvidenceSort, cursor: string | undefined, limit: number): Promise<{ rows: EvidenceRow[]; total: number }> {
    const order = sortOrder(sort);
    const after = cursor === undefined ? null : readCursor(cursor, order, fitsColumn(SORTS[order.field as keyof typeof SORTS].type, false));
    const value = after?.value instanceof Date ? after.value.toISOString() : (after?.value ?? null);
    const rows = await queryRows(this.prisma.pool, PAGES[sort], [
      claimId, filter.asOf ?? null, filter.includeArchived, filter.stance ?? null, filter.sourceId ?? null, filter.updatedSince ?? null,
      filter.q ?? null, value, after?.id ?? null, limit,
    ]);
    return {
      total: rows[0].total,
      rows: rows
        .filter((row) => row.id !== null)
        // Completed in place: copying each row without its joined columns cost more than the rest of the mapping.
        .map((row) =>
          Object.assign(row, {
            source: { title: row.sourceTitle, reliability: row.sourceReliability },
            originator: row.originatorName === null ? null : { name: row.originatorName },
          }),
        ),
    };
  }
}
