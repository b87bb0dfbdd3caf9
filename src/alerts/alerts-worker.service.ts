import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Task } from 'graphile-worker';
import { startJobQueue } from '../database/job-queue.js';
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
  private queue: { stop(): Promise<void> } | undefined;
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
    this.queue = await startJobQueue({
      connectionString: this.config.databaseUrl,
      concurrency: this.config.alerts.concurrency,
      taskList: { [DISPATCH_TASK]: dispatch, [DELIVER_TASK]: deliver },
      warn: (message) => this.logger.warn(message),
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
    await this.queue?.stop();
  }

  private every(ms: number, work: () => Promise<unknown>): void {
    const tick = () => void work().catch((error: Error) => this.logger.warn(`Alerts housekeeping failed: ${error.message}`));
    tick();
    this.timers.push(setInterval(tick, ms).unref());
  }
}
