import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Level } from 'pino';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The level of a request's access-log line: errors by status, writes at info,
 * successful reads at debug. API clients poll, and a line per poll costs about a
 * third of a cached read's time while saying nothing an operator needs. A 503 is
 * the service saying "not now" as designed (draining, database saturated or away),
 * a warning rather than an error.
 */
export function requestLogLevel(method: string | undefined, status: number, error?: Error): Level {
  if (status === 503) return 'warn';
  if (error || status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return SAFE_METHODS.has(method ?? '') ? 'debug' : 'info';
}

/** Fastify's request log lines: none when a request arrives, one when it ends, at `requestLogLevel`'s level. */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const level = requestLogLevel(request.method, reply.statusCode, error ?? undefined);
    request.log[level]({ req: request, res: reply, err: error ?? undefined, responseTime: reply.elapsedTime }, error ? 'request errored' : 'request completed');
  }
}
