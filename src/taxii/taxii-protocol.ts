import { ArgumentsHost, Catch, type CanActivate, type ExceptionFilter, type ExecutionContext, Injectable, NotAcceptableException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemDetailsFilter } from '../common/problem-details.filter.js';
import type { TaxiiErrorResponse } from './dto/taxii.response.js';
import { TAXII_MEDIA_TYPE } from './taxii.service.js';

/**
 * What a TAXII client may ask for: `application/taxii+json` of version 2.1 (or of no stated
 * version, which means the newest), or anything (`*\/*`, `application/*`, no Accept at all).
 */
function acceptsTaxii(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((range) => {
    const [type, ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = parameters.find((p) => p.startsWith('version='));
    return !version || version === 'version=2.1';
  });
}

/**
 * An answer in TAXII's media type, exactly as the specification writes it: sent as bytes, since
 * Fastify would rewrite it for text (quoting "2.1" and adding a charset), which clients such as
 * taxii2-client refuse. Answers depend on the key and change as versions are published.
 */
export function taxiiReply(reply: FastifyReply, body: Buffer | object): Buffer {
  void reply.header('Content-Type', TAXII_MEDIA_TYPE).header('Cache-Control', 'private, no-cache');
  return Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
}

/** TAXII 2.1 §1.6.8: a request that does not accept the TAXII media type is answered 406. */
@Injectable()
export class TaxiiAcceptGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const accept = context.switchToHttp().getRequest<FastifyRequest>().headers.accept;
    if (!acceptsTaxii(accept)) throw new NotAcceptableException(`This server answers ${TAXII_MEDIA_TYPE}; the request accepts only ${accept}.`);
    return true;
  }
}

/**
 * Errors as TAXII error messages (§3.6.1) in the TAXII media type, with the status the rest of the
 * API would give; 401 says that HTTP Basic (an API key as the password) is accepted.
 */
@Catch()
export class TaxiiErrorFilter implements ExceptionFilter {
  private readonly problems = new ProblemDetailsFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { status, title, detail, errors } = this.problems.problemOf(exception, http.getRequest<FastifyRequest>(), reply);
    if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="Claimtrack TAXII", charset="UTF-8"');
    const body: TaxiiErrorResponse = {
      title,
      description: detail,
      http_status: String(status),
      ...(Array.isArray(errors) ? { details: Object.fromEntries((errors as { field: string; messages: string[] }[]).map((e) => [e.field, e.messages])) } : {}),
    };
    void reply.status(status).send(taxiiReply(reply, body));
  }
}
