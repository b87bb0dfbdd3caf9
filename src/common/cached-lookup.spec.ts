import { EventEmitter } from 'node:events';
import type { DatabaseEvents } from '../database/database-events.service.js';
import { CachedLookup } from './cached-lookup.js';

/** DatabaseEvents as caches see it: change events per table, a reset, and whether notifications arrive. */
class FakeEvents extends EventEmitter {
  live = true;
  onReset(listener: () => void) {
    this.on('reset', listener);
  }
}

function setup(perKey: boolean) {
  const events = new FakeEvents();
  const cache = new CachedLookup<string>(events as unknown as DatabaseEvents, 'claims', { max: 10, ttl: 60_000, perKey });
  let loads = 0;
  const load = (value: string) => async () => (loads++, value);
  return { events, cache, load, loads: () => loads };
}

describe('CachedLookup', () => {
  it('serves a value from memory until the database announces a change to it', async () => {
    const { events, cache, load, loads } = setup(true);
    expect(await cache.get('a', load('1'))).toBe('1');
    expect(await cache.get('a', load('2'))).toBe('1');
    expect(await cache.get('b', load('b1'))).toBe('b1');
    events.emit('claims', 'a');
    expect(await cache.get('a', load('3'))).toBe('3');
    expect(await cache.get('b', load('b2'))).toBe('b1'); // per key: b stays
    expect(loads()).toBe(3);
  });

  it('empties entirely on any change when not per key, and on a reset', async () => {
    const { events, cache, load } = setup(false);
    await cache.get('a', load('1'));
    events.emit('claims', 'other');
    expect(await cache.get('a', load('2'))).toBe('2');
    events.emit('reset');
    expect(await cache.get('a', load('3'))).toBe('3');
  });

  it('serves nothing from memory while notifications are not arriving', async () => {
    const { events, cache, load } = setup(true);
    await cache.get('a', load('1'));
    events.live = false;
    expect(await cache.get('a', load('2'))).toBe('2');
    expect(await cache.get('a', load('3'))).toBe('3');
  });

  it('does not keep a value loaded while a change to it was announced', async () => {
    const { events, cache } = setup(true);
    const stale = cache.get('a', async () => {
      events.emit('claims', 'a'); // the change lands while the old value is being read
      return 'old';
    });
    expect(await stale).toBe('old');
    expect(await cache.get('a', async () => 'new')).toBe('new');
  });

  it('loads only the misses of many keys, in one call', async () => {
    const { cache } = setup(true);
    await cache.get('a', async () => 'A');
    const asked: string[][] = [];
    const found = await cache.getMany(['a', 'b', 'c'], async (missing) => (asked.push(missing), new Map(missing.map((key) => [key, key.toUpperCase()]))));
    expect(asked).toEqual([['b', 'c']]);
    expect([...found.entries()].sort()).toEqual([['a', 'A'], ['b', 'B'], ['c', 'C']]);
  });
});
