import { Logger as QueueLogger, run, type TaskList } from 'graphile-worker';
import pg from 'pg';

export interface JobQueueOptions {
  connectionString: string;
  concurrency: number;
  taskList: TaskList;
  /** Where the queue's warnings and errors go. */
  warn: (message: string) => void;
}

/**
 * graphile-worker's runner on connections of our own: it ends a pool it made without waiting, and
 * stops listening for that pool's errors first, so a connection the server closed in that moment (a
 * database dropped) would be an unhandled error. Jobs are picked up as they commit (LISTEN/NOTIFY);
 * polling only finds those whose time (a retry's) has come.
 */
export async function startJobQueue({ connectionString, concurrency, taskList, warn }: JobQueueOptions): Promise<{ stop(): Promise<void> }> {
  const connections = new pg.Pool({ connectionString, max: concurrency + 2 });
  connections.on('error', (error) => warn(`An idle job-queue connection failed: ${error.message}`));
  const runner = await run({
    pgPool: connections,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: new QueueLogger(() => (level, message) => {
      if (level === 'error' || level === 'warning') warn(message);
    }),
    taskList,
  });
  return {
    async stop() {
      await runner.stop();
      await connections.end();
    },
  };
}
