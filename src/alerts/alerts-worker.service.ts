import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Logger as QueueLogger, run, type Runner, type Task } from 'graphile-worker';
import pg from 'pg';
import { AppConfig } from '../config/app-config.service.js';
import { AlertDeliverer } from './alert-deliverer.service.js';
import { AlertDispatcher } from './alert-dispatcher.service.js';
import { AlertsRepository, DELIVER_TASK, DISPATCH_TASK } from './alerts.repository.js';

/**
 * The alerts' worker: graphile-worker's runner (jobs are picked up as they commit, through
 * LISTEN/NOTIFY, and each is locked by one worker of one instance), running the dispatcher and
 * the deliveries; and two periodic statements any number of instances may run at once — due
 * reviews announced (once per due date), and the locks of dead workers released.
 * In the service process by default; ALERTS_WORKER=off leaves it to `npm run worker`.
 */
@Injectable()
export class AlertsWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  private runner: Runner | undefined;
  /**
   * The queue's own connections, which we make and end: graphile-worker ends a pool it made
   * without waiting, and stops listening for its errors first, so a connection closed by the
   * server in that moment (a database dropped) would be an unhandled error.
   */
  private pool: pg.Pool | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly repository: AlertsRepository,
    private readonly dispatcher: AlertDispatcher,
    private readonly deliverer: AlertDeliverer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.alerts.worker) return;
    const dispatch: Task = async (payload) => this.dispatcher.dispatch((payload as { eventId: string }).eventId);
    const deliver: Task = async (payload) => {
      const { deliveryId, attempt } = payload as { deliveryId: string; attempt: number };
      await this.deliverer.deliver(deliveryId, attempt);
    };
    this.pool = new pg.Pool({ connectionString: this.config.databaseUrl, max: this.config.alerts.concurrency + 2 });
    this.pool.on('error', (error) => this.logger.warn(`An idle queue connection failed: ${error.message}`));
    this.runner = await run({
      pgPool: this.pool,
      concurrency: this.config.alerts.concurrency,
      noHandleSignals: true,
      // Jobs arrive by notification; polling only catches those whose run_at (a retry) came due.
      pollInterval: 1_000,
      logger: new QueueLogger(() => (level, message) => {
        if (level === 'error') this.logger.error(message);
        else if (level === 'warning') this.logger.warn(message);
      }),
      taskList: { [DISPATCH_TASK]: dispatch, [DELIVER_TASK]: deliver },
    });
    const { reviewScanMs, staleLockSeconds } = this.config.alerts;
    this.every(reviewScanMs, () => this.repository.announceDueReviews());
    this.every(Math.max(1_000, (staleLockSeconds * 1000) / 4), async () => {
      const workers = await this.repository.unlockStaleJobs(staleLockSeconds);
      if (workers) this.logger.warn(`Released the jobs of ${workers} worker(s) that stopped holding them (locked over ${staleLockSeconds} s).`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.runner?.stop();
    await this.pool?.end();
  }

  private every(ms: number, work: () => Promise<unknown>): void {
    const tick = () => void work().catch((error: Error) => this.logger.warn(`Alerts housekeeping failed: ${error.message}`));
    tick();
    this.timers.push(setInterval(tick, ms).unref());
  }
}
