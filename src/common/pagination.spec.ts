import { BY_ID, cursorAfter, fitsColumn, readCursor, rowsAfter, sortOrder } from './pagination.js';

const ID = '0b7a0c1e-8f1e-4b7a-9a51-2f6d3c1e0a11';

describe('list cursors', () => {
  it('carry the position of the last row: its sort value and id', () => {
    const byUpdate = sortOrder('-updatedAt');
    const at = new Date('2024-05-01T12:00:00.123Z');
    expect(readCursor(cursorAfter(byUpdate, ID, at), byUpdate)).toEqual({ id: ID, value: at });
    const byProbability = sortOrder('probability', { field: 'currentProbability', nullable: true });
    expect(readCursor(cursorAfter(byProbability, ID, 0.7), byProbability)).toEqual({ id: ID, value: 0.7 });
    expect(readCursor(cursorAfter(byProbability, ID, null), byProbability)).toEqual({ id: ID, value: null });
    expect(readCursor(cursorAfter(BY_ID, ID), BY_ID)).toEqual({ id: ID, value: null });
  });

  it('select the rows after that position, nulls last', () => {
    const byUpdate = sortOrder('-updatedAt');
    const at = new Date('2024-05-01T12:00:00.123Z');
    expect(rowsAfter(cursorAfter(byUpdate, ID, at), byUpdate)).toEqual({ OR: [{ updatedAt: { lt: at } }, { updatedAt: at, id: { lt: ID } }] });
    const nullable = sortOrder('probability', { field: 'currentProbability', nullable: true });
    expect(rowsAfter(cursorAfter(nullable, ID, 0.7), nullable)).toEqual({
      OR: [{ currentProbability: { gt: 0.7 } }, { currentProbability: 0.7, id: { gt: ID } }, { currentProbability: null }],
    });
    expect(rowsAfter(cursorAfter(nullable, ID, null), nullable)).toEqual({ currentProbability: null, id: { gt: ID } });
    expect(rowsAfter(cursorAfter(BY_ID, ID), BY_ID)).toEqual({ id: { gt: ID } });
    expect(rowsAfter(undefined, BY_ID)).toEqual({});
  });

  it('refuse a sort value the column cannot hold, when told what the column is', () => {
    const byCredibility = sortOrder('credibility');
    const fits = fitsColumn('int', false);
    expect(readCursor(cursorAfter(byCredibility, ID, 3), byCredibility, fits)).toEqual({ id: ID, value: 3 });
    for (const value of [null, 2.5, 2 ** 31, 'three']) expect(() => readCursor(cursorAfter(byCredibility, ID, value), byCredibility, fits)).toThrow();
    const byUpdate = sortOrder('-updatedAt');
    const dates = fitsColumn('timestamptz', false);
    expect(dates(new Date('2024-05-01T12:00:00Z'))).toBe(true);
    for (const value of [new Date('+020000-01-01T00:00:00Z'), 1714564800000, null]) expect(dates(value)).toBe(false);
    expect(() => readCursor(cursorAfter(byUpdate, ID, 5), byUpdate, dates)).toThrow();
    expect([fitsColumn('float8', true)(null), fitsColumn('float8', true)(0.25), fitsColumn('float8', true)('0.25')]).toEqual([true, true, false]);
  });

  it('refuse garbage and cursors of another order with a 400 naming the cursor', () => {
    const byUpdate = sortOrder('-updatedAt');
    const garbage = ['x', ID, Buffer.from('{}').toString('base64url'), Buffer.from(JSON.stringify(['not-a-uuid'])).toString('base64url')];
    for (const cursor of [...garbage, cursorAfter(sortOrder('title'), ID, 'A'), cursorAfter(BY_ID, ID)]) {
      expect(() => readCursor(cursor, byUpdate)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'cursor' })] }));
    }
    expect(() => readCursor(Buffer.from(JSON.stringify([ID, 'updatedAt', { at: 'yesterday' }])).toString('base64url'), byUpdate)).toThrow();
  });
});
