import type pg from 'pg';

/**
 * A hand-written SQL statement with the types of its parameters and rows. Named, so
 * that each connection prepares it once (measured to matter on the hot paths); its
 * `columns` are the row type's keys, which a contract test checks against what the
 * statement returns on the migrated schema.
 */
export interface Query<Params extends readonly unknown[], Row> {
  readonly name: string;
  readonly text: string;
  readonly columns: readonly string[];
  /** Carries the types only. */
  readonly types?: { params: Params; row: Row };
}

/** A timestamp column as the ISO 8601 text JSON writes for a Date, for rows that need not parse it. */
export const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Every statement defined, for the contract test. */
export const QUERIES: Query<readonly unknown[], unknown>[] = [];

/** `columns` must name every field of `Row`, and nothing else. */
export function defineQuery<Params extends readonly unknown[], Row>(name: string, text: string, columns: { [K in keyof Row]-?: true }): Query<Params, Row> {
  const query: Query<Params, Row> = { name, text, columns: Object.keys(columns) };
  QUERIES.push(query as Query<readonly unknown[], unknown>);
  return query;
}

/** Runs `query` on `pool` (or a client) and returns its rows. */
export async function queryRows<Params extends readonly unknown[], Row>(db: pg.Pool | pg.PoolClient, query: Query<Params, Row>, params: Params): Promise<Row[]> {
  const result = await db.query({ name: query.name, text: query.text, values: params as unknown as unknown[] });
  return result.rows as Row[];
}
