import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.service.js';
import { consolePageOf } from '../common/url.js';
import { alertMessage } from './alert-message.js';
import { AlertsRepository, type AttemptOutcome } from './alerts.repository.js';
import { sendWebhook } from './webhook-sender.js';

/** The longest wait between two attempts. */
const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * The wait before attempt n + 1 after n failed: exponential from `baseMs`, capped at an hour,
 * with "equal jitter" (half fixed, half random), so receivers that failed together are not
 * retried in lockstep.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, random = Math.random()): number {
  const delay = Math.min(baseMs * 2 ** (failedAttempts - 1), MAX_RETRY_DELAY_MS);
  return delay / 2 + (delay / 2) * random;
}

/**
 * Sends one attempt of a delivery and records what came of it: 2xx delivered; 410 Gone fails it
 * and disables the rule; anything else is retried with backoff until the retry period
 * (ALERT_RETRY_HOURS from the first attempt) is over, then failed. A job that runs again
 * (its worker died before finishing it) finds its attempt recorded, or the delivery done, and sends nothing.
 */
@Injectable()
export class AlertDeliverer {
  constructor(
    private readonly repository: AlertsRepository,
    private readonly config: AppConfig,
  ) {}

  async deliver(deliveryId: string, attempt: number): Promise<void> {
    const delivery = await this.repository.delivery(deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.attempts !== attempt) return;
    const at = new Date();
    const outcome = (fields: Partial<AttemptOutcome>): AttemptOutcome => ({
      deliveryId, attempt, at, status: 'failed', responseStatus: null, error: null, response: '', nextAttemptAt: null, disableRule: null, ...fields,
    });
    if (delivery.ruleDisabled || !delivery.webhookUrl || !delivery.webhookSecret) {
      await this.repository.recordAttempt(outcome({ error: 'the rule is disabled or has no webhook' }));
      return;
    }
    const base = this.config.publicBaseUrl ?? this.config.listeningUrl;
    const payload = JSON.stringify(alertMessage(delivery, consolePageOf(base, delivery.claimId)));
    const { timeoutMs, privateAddresses, retryMs, retryBaseMs } = this.config.alerts;
    const result = await sendWebhook(delivery.webhookUrl, delivery.webhookSecret, delivery.id, payload, { timeoutMs, privateAddresses });
    const answered = { responseStatus: result.status, error: result.error, response: result.body };
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      await this.repository.recordAttempt(outcome({ ...answered, status: 'delivered' }));
    } else if (result.status === 410) {
      await this.repository.recordAttempt(outcome({ ...answered, disableRule: `The receiver answered 410 Gone at ${at.toISOString()}.` }));
    } else {
      const next = new Date(at.getTime() + retryDelayMs(attempt + 1, retryBaseMs));
      const retrying = next.getTime() - (delivery.firstAttemptAt ?? at).getTime() <= retryMs;
      await this.repository.recordAttempt(outcome({ ...answered, status: retrying ? 'pending' : 'failed', nextAttemptAt: retrying ? next : null }));
    }
  }
}
