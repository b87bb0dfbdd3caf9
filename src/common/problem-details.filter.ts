import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Prisma } from '../generated/prisma/client.js';
import { Problem } from './problem.js';

const PROBLEM_JSON = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status];
  return name ? name.toLowerCase().replace(/(^|_)(\w)/g, (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()) : 'Error';
}

/**
 * Connection-level failures of the database, and waits for a connection or a transaction
 * that ran out (DATABASE_WAIT_MS) under load: the service is unavailable, not broken.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) return ['P1001', 'P1002', 'P1017', 'P2024', 'P2028'].includes(error.code);
  // Read the fields rather than test instanceof: errors from Node's sockets may come from another realm.
  const { name, message, code, cause } = (error ?? {}) as { name?: string; message?: string; code?: string; cause?: unknown };
  const text = `${name ?? ''} ${message ?? ''} ${code ?? ''} ${cause ? String((cause as { code?: string }).code ?? cause) : ''}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0[1-3]|Connection terminated|connection timeout|timeout exceeded when trying to connect|DatabaseNotReachable|the database system is (starting up|shutting down)/i.test(text);
}

/**
 * Turns every error into RFC 9457 problem+json. Details of unexpected errors are
 * logged, never sent: no stack traces or SQL reach a client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.problemOf(exception, request, reply);
    body.instance = request.url;
    void reply.status(body.status).type(PROBLEM_JSON).send(body);
  }

  /**
   * The problem an error is, logged as its status deserves (503 a warning, other 5xx with their
   * stack), with Retry-After on the reply for a 503: for this filter and for protocols that send
   * errors in a format of their own (TAXII).
   */
  problemOf(exception: unknown, request: FastifyRequest, reply: FastifyReply): ProblemBody {
    const body = this.toProblem(exception);
    // On the request's logger: the line carries its id, as the access line does.
    if (body.status === HttpStatus.SERVICE_UNAVAILABLE) {
      request.log.warn(`${request.method} ${request.url}: ${body.detail}`);
      reply.header('Retry-After', '5');
    } else if (body.status >= 500) request.log.error({ err: exception }, `${request.method} ${request.url}: unexpected error`);
    return body;
  }

  toProblem(exception: unknown): ProblemBody {
    const problem = (status: number, detail: string, extensions: Record<string, unknown> = {}): ProblemBody => ({
      type: 'about:blank',
      title: reasonPhrase(status),
      status,
      detail,
      ...extensions,
    });

    if (exception instanceof Problem) return problem(exception.getStatus(), exception.message, exception.extensions);
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const detail = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
      return problem(exception.getStatus(), detail);
    }
    if (exception instanceof Prisma.PrismaClientKnownRequestError) {
      if (exception.code === 'P2002') return problem(409, 'A record with the same unique value already exists.');
      if (exception.code === 'P2025') return problem(404, 'The record was not found.');
      if (exception.code === 'P2003') return problem(409, 'The change would break a reference between records.');
    }
    if (isDatabaseUnavailable(exception)) return problem(503, 'The database is unavailable; try again shortly.');
    // Fastify's own errors (body too large, bad JSON, wrong content type) carry a 4xx statusCode.
    const statusCode = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return problem(statusCode, (exception as Error).message);
    }
    return problem(500, 'An unexpected error occurred.');
  }
}
