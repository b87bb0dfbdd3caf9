import { FEED_CURSOR, FEED_START, feedCursor, parseFeedCursor } from './feed-cursor.js';

describe('change feed cursors', () => {
  it('round-trip a transaction id and sequence number', () => {
    const cursor = feedCursor('18446744073709551615', '42');
    expect(cursor).toMatch(FEED_CURSOR);
    expect(parseFeedCursor(cursor)).toEqual({ txid: '18446744073709551615', seq: '42' });
    expect(parseFeedCursor(FEED_START)).toEqual({ txid: '0', seq: '0' });
  });

  it('are refused in any other shape', () => {
    for (const cursor of ['', '1', '1.', '.1', '1.2.3', '-1.2', '1.x', 'yesterday', `${'9'.repeat(21)}.1`]) expect(FEED_CURSOR.test(cursor)).toBe(false);
  });
});
