/**
 * Change notifications: what a write announces so that every instance's caches drop
 * what it changed. One format, `table:id`, written by TypeScript and by SQL alike.
 */
export type ChangedTable = 'claims' | 'users' | 'api_keys';
export const CHANGES_CHANNEL = 'claimtrack_changes';

export const changePayload = (table: ChangedTable, id: string) => `${table}:${id}`;

/** The same payload built in SQL, from an expression giving the id. */
export const changePayloadSql = (table: ChangedTable, idExpression: string) => `'${table}:' || ${idExpression}`;

export function parseChange(payload: string | undefined): { table: ChangedTable; id: string } | undefined {
  const [table, id] = (payload ?? '').split(':');
  return table && id ? { table: table as ChangedTable, id } : undefined;
}
