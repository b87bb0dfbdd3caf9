import { LRUCache } from 'lru-cache';
import type { ChangedTable } from '../database/changes.js';
import type { DatabaseEvents } from '../database/database-events.service.js';

/**
 * A per-process cache in front of a database lookup, emptied whenever the database
 * announces a change to `table` (from any instance) and bypassed while those
 * announcements are not arriving. Entries also expire after `ttl` ms as a backstop.
 */
export class CachedLookup<V extends {}> {
  private readonly cache: LRUCache<string, V>;
  /** Bumped on every invalidation, so a load that raced with a change is not cached. */
  private generation = 0;

  constructor(
    private readonly events: DatabaseEvents,
    table: ChangedTable,
    { max, ttl, perKey }: { max: number; ttl: number; perKey: boolean },
  ) {
    this.cache = new LRUCache<string, V>({ max, ttl });
    events.on(table, (id) => (perKey ? this.forget(id) : this.clear()));
    events.onReset(() => this.clear());
  }

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (!this.events.live) return load();
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation && this.events.live) this.cache.set(key, value);
    return value;
  }

  /** Like `get` for many keys, loading the misses in one call. */
  async getMany(keys: string[], loadMany: (missing: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
    if (!this.events.live) return loadMany(keys);
    const found = new Map<string, V>();
    const missing: string[] = [];
    for (const key of keys) {
      const hit = this.cache.get(key);
      if (hit === undefined) missing.push(key);
      else found.set(key, hit);
    }
    if (missing.length === 0) return found;
    const generation = this.generation;
    const loaded = await loadMany(missing);
    const fresh = generation === this.generation && this.events.live;
    for (const [key, value] of loaded) {
      found.set(key, value);
      if (fresh) this.cache.set(key, value);
    }
    return found;
  }

  forget(key: string): void {
    this.generation++;
    this.cache.delete(key);
  }

  clear(): void {
    this.generation++;
    this.cache.clear();
  }
}
