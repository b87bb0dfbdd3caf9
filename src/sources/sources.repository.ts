import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';

const SEARCH = defineQuery<[q: string], { id: string }>(
  'sources_search',
  `SELECT id FROM sources WHERE to_tsvector('english', title) @@ websearch_to_tsquery('english', $1)`,
  { id: true },
);

@Injectable()
export class SourcesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Sources whose title matches a websearch query. */
  async search(q: string): Promise<string[]> {
    return (await queryRows(this.prisma.pool, SEARCH, [q])).map((row) => row.id);
  }
}
