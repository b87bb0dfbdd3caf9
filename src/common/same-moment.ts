import type DataLoader from 'dataloader';

/**
 * DataLoader options that batch the loads started while the event loop polls (the
 * requests that arrived together) into one call, caching nothing across requests.
 */
export const SAME_MOMENT = { cache: false, batchScheduleFn: (run: () => void) => setImmediate(run) } satisfies DataLoader.Options<unknown, unknown>;
