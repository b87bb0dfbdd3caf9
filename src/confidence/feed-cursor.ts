/**
 * A position in the change feed: the writing transaction's id and the change's sequence
 * number within it, `"<txid>.<seq>"`. Changes are ordered by both.
 */
export const FEED_CURSOR = /^\d{1,20}\.\d{1,20}$/;
export const FEED_START = '0.0';

export const feedCursor = (txid: string, seq: string) => `${txid}.${seq}`;

export function parseFeedCursor(cursor: string): { txid: string; seq: string } {
  const [txid, seq] = cursor.split('.');
  return { txid, seq };
}
