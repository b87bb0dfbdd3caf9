import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import { matchingSql } from '../common/text-search.js';

/**
 * The claim's items first (a claim has tens or hundreds), then the match on those alone: otherwise a
 * common word's index entries (every quote of every claim) were read to keep the claim's few.
 */
const SEARCH = defineQuery<[claimId: string, q: string], { id: string }>(
  'evidence_search',
  `WITH e AS MATERIALIZED (SELECT id, quote, source_id FROM evidence WHERE claim_id = $1::uuid)
   ${matchingSql({ select: 'e.id', from: 'e JOIN sources s ON s.id = e.source_id', text: 'e.quote', language: 's.language', query: '$2' })}`,
  { id: true },
);

@Injectable()
export class EvidenceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A claim's evidence whose quote matches a websearch query. */
  async search(claimId: string, q: string): Promise<string[]> {
    return (await queryRows(this.prisma.pool, SEARCH, [claimId, q])).map((row) => row.id);
  }
}
