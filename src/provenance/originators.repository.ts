import { Injectable } from '@nestjs/common';
import { defineQuery } from '../database/query.js';
import type { Tx } from '../database/transactions.js';

/** The originator whose spelling is the longest found in folded text $1 (names always point at survivors). */
const NAMED_IN = defineQuery<[foldedText: string], { id: string; name: string }>(
  'originators_named_in',
  `SELECT o.id, o.name FROM originator_names n JOIN originators o ON o.id = n.originator_id
   WHERE length(n.key) >= 3 AND strpos($1::text, n.key) > 0
   ORDER BY length(n.key) DESC, n.key LIMIT 1`,
  { id: true, name: true },
);

@Injectable()
export class OriginatorsRepository {
  async namedIn(db: Tx, foldedText: string): Promise<{ id: string; name: string } | undefined> {
    return (await db.$queryRawUnsafe<{ id: string; name: string }[]>(NAMED_IN.text, foldedText))[0];
  }
}
