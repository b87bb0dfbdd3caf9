import { Injectable } from '@nestjs/common';
import { defineQuery } from '../database/query.js';
import type { Tx } from '../database/transactions.js';

/** Derivations are checked and written one at a time: a cycle made by two links written at once is impossible. */
const SERIALIZE = `SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('source_derivations'))`;

/** Whether source $1 derives, through links in force, from source $2 (so that $2 deriving from $1 would close a cycle). */
const DERIVES_FROM = defineQuery<[sourceId: string, originalId: string], { derives: boolean }>(
  'derivations_derives_from',
  `WITH RECURSIVE up(id) AS (
     SELECT $1::uuid
     UNION
     SELECT d.derived_from_id FROM up JOIN source_derivations d ON d.source_id = up.id AND d.withdrawn_at IS NULL
   )
   SELECT EXISTS (SELECT 1 FROM up WHERE id = $2::uuid) AS derives`,
  { derives: true },
);

@Injectable()
export class DerivationsRepository {
  async serialize(tx: Tx): Promise<void> {
    await tx.$queryRawUnsafe(SERIALIZE);
  }

  async derivesFrom(tx: Tx, sourceId: string, originalId: string): Promise<boolean> {
    const [row] = await tx.$queryRawUnsafe<{ derives: boolean }[]>(DERIVES_FROM.text, sourceId, originalId);
    return row.derives;
  }
}
