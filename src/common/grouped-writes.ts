import DataLoader from 'dataloader';
import { SAME_MOMENT } from './same-moment.js';

/**
 * Writes asked for in the same moment, written together: under load, commits queue behind
 * each other (PostgreSQL serialises the commits of transactions that notify), and one commit
 * for many writes clears the queue. A group holds at most one write per key (a claim, whose
 * row its statement locks), in arrival order: a second write to a key goes in the next group,
 * after the first. A group the database refuses as a whole is retried one write at a time,
 * so one bad write fails only itself.
 */
export class GroupedWrites<Write, Outcome> {
  private readonly loader = new DataLoader<Write, Outcome>((writes) => this.writeAll(writes), SAME_MOMENT);

  constructor(
    private readonly keyOf: (write: Write) => string,
    private readonly writeGroup: (writes: Write[]) => Promise<Outcome[]>,
    private readonly maxGroup = 50,
  ) {}

  write(write: Write): Promise<Outcome> {
    return this.loader.load(write);
  }

  private async writeAll(writes: readonly Write[]): Promise<(Outcome | Error)[]> {
    const outcomes: (Outcome | Error)[] = [];
    let waiting = writes.map((write, index) => ({ write, index }));
    while (waiting.length > 0) {
      const keys = new Set<string>();
      const group: typeof waiting = [];
      const later: typeof waiting = [];
      for (const item of waiting) {
        const key = this.keyOf(item.write);
        if (keys.has(key) || group.length === this.maxGroup) {
          later.push(item);
        } else {
          group.push(item);
          keys.add(key);
        }
      }
      try {
        const rows = await this.writeGroup(group.map((item) => item.write));
        group.forEach((item, i) => (outcomes[item.index] = rows[i]));
      } catch (error) {
        for (const item of group) {
          outcomes[item.index] = group.length === 1 ? (error as Error) : await this.writeGroup([item.write]).then(([row]) => row, (e: Error) => e);
        }
      }
      waiting = later;
    }
    return outcomes;
  }
}
