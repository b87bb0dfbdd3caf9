import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';
import { matchingSql } from '../common/text-search.js';

const SEARCH = defineQuery<[claimId: string, q: string], { id: string }>(
  'evidence_search',
  matchingSql({ select: 'e.id', from: 'evidence e JOIN sources s ON s.id = e.source_id', where: 'e.claim_id = $1::uuid', text: 'e.quote', language: 's.language', query: '$2' }),
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
