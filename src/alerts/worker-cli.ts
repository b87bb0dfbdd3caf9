import { withAppContext } from '../app-context.js';

/**
 * `npm run worker`: the alerts worker alone (dispatching events, delivering webhooks, publishing
 * TAXII objects), for deployments whose API instances run with ALERTS_WORKER=off. Any number may
 * run; each job is taken by one. SIGTERM or Ctrl-C stops it after the jobs in hand.
 */
await withAppContext(
  async () => {
    console.log('Claimtrack alerts worker running (SIGTERM or Ctrl-C stops it).');
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    });
  },
  { migrate: true, worker: true },
);
