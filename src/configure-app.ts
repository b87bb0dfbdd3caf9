import cookie from '@fastify/cookie';
import etag from '@fastify/etag';
import helmet from 'helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import pino from 'pino';
import { hash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { AppConfig } from './config/app-config.service.js';
import { trustProxy, validateEnvironment } from './config/environment.js';
import { API_KEY_SCHEME, BEARER_SCHEME, BASIC_SCHEME } from './auth/auth.constants.js';
import { completeDocument, PROBLEM_MODELS } from './common/openapi.js';
import { TaxiiErrorResponse } from './taxii/dto/taxii.response.js';
import { TAXII_MEDIA_TYPE } from './taxii/taxii.service.js';
import { ServiceLogger } from './common/service-logger.js';
import { AccessLog } from './common/request-log-level.js';

const REQUEST_ID = /^[\w.-]{1,100}$/;

/** The HTTP adapter: Fastify, with the body limit from the environment. */
export function createAdapter(): FastifyAdapter {
  const env = validateEnvironment(process.env);
  return new FastifyAdapter({
    // Fastify's own pino logger, one line per request (AccessLog). (nestjs-pino,
    // before it, kept each request's logger in an AsyncLocalStorage: on Node 20 that hooks every promise, and
    // cost a third of the process's time on a request that reads the database.)
    loggerInstance: pino(
      {
        level: env.LOG_LEVEL,
        serializers: {
          // Link tokens are short-lived, but a log outlives them: keep them out of it. Headers are not logged (credentials).
          req: (req: FastifyRequest) => ({ id: req.id, method: req.method, url: req.url.replace(/([?&]token=)[^&]*/, '$1[redacted]') }),
          res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
        },
      },
      // Buffered: one write per 4 KB of log lines rather than one system call per request.
      pino.destination({ dest: 1, sync: false, minLength: 4096 }),
    ),
    logController: new AccessLog(),
    bodyLimit: env.BODY_LIMIT,
    // Behind a load balancer, the client's address (sign-in throttling, logs) and protocol (links).
    trustProxy: trustProxy(env.TRUST_PROXY),
    // Long path parameters reach the validation pipes (a clear 400) instead of Fastify's bare 414.
    // TAXII clients ask for /taxii2/ and the like, ending in a slash (Nest drops it from routes).
    routerOptions: { maxParamLength: 16_384, ignoreTrailingSlash: true },
    // Requests Node cannot even parse (oversized headers, bad framing) still get problem+json.
    clientErrorHandler: (error: Error & { code?: string }, socket) => {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({
        type: 'about:blank',
        title: status === 431 ? 'Request Header Fields Too Large' : 'Bad Request',
        status,
        detail: status === 431 ? 'The request line or headers are too large.' : 'The request could not be parsed.',
      });
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
            `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else socket.destroy(error);
    },
    // Keep a caller's request id when it is sane, so logs can be joined across services.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
}

/** The headers a (request-independent) Connect middleware such as helmet's sets on a response. */
function headersOf(middleware: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = { setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value), removeHeader: () => undefined };
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    if (error) throw error;
  });
  return headers;
}

/** What the module cannot declare itself; shared by main.ts and the tests. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(new ServiceLogger(fastify.log as pino.Logger));
  // The id in our logs, handed back so a caller can quote it.
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  // Against password guessing, only routes that opt in are limited (see auth.controller.ts):
  // per client address (`rateLimit` in the route config), and per account (`accountThrottle`).
  const { perAccount, perAddress, ttlMs } = config.loginThrottle;
  const tooMany = (_request: unknown, context: { after: string }) =>
    Object.assign(new Error(`Too many attempts; retry in ${context.after}.`), { statusCode: 429 });
  await app.register(rateLimit, { global: false, max: perAddress, timeWindow: ttlMs, errorResponseBuilder: tooMany });
  fastify.addHook('onRoute', (route) => {
    const accountOf = (route.config as { accountThrottle?: (body: unknown) => string | undefined } | undefined)?.accountThrottle;
    if (!accountOf) return;
    // A second limiter on the same request: the plugin's own handler runs once per request, so this one answers itself.
    const countAttempt = fastify.createRateLimit({ max: perAccount, timeWindow: ttlMs, keyGenerator: (request) => `account:${accountOf(request.body)}` });
    const perAccountLimit = async (request: FastifyRequest, reply: FastifyReply) => {
      // After the body is parsed; a request that names no account is left to validation (400).
      if (accountOf(request.body) === undefined) return;
      const attempt = await countAttempt(request);
      if (attempt.isAllowed || !attempt.isExceeded) return;
      void reply.header('Retry-After', String(attempt.ttlInSeconds));
      throw Object.assign(new Error(`Too many attempts for this account; retry in ${attempt.ttlInSeconds} seconds.`), { statusCode: 429 });
    };
    route.preHandler = [...[route.preHandler ?? []].flat(), perAccountLimit];
  });
  // The console's session cookie (see auth/session-cookie.ts).
  await app.register(cookie);
  // Documents uploaded to POST /sources/import: one file, read by the route as it streams in, bounded.
  await app.register(multipart, { limits: { fileSize: config.importMaxBytes, files: 1, fields: 20, fieldSize: 10_000, parts: 22 } });
  // Strong ETags on every response that has none, and 304 for a matching If-None-Match. The plugin's
  // SHA-1, taken in one call: a Hash object for each response cost as much again as the hashing.
  await app.register(etag, { hashFn: (payload: string | Buffer) => hash('sha1', payload, 'base64') });
  // Security headers: helmet's, for this configuration the same on every response, so asked of it once
  // (@fastify/helmet builds its middleware again for every request, which cost a fifth of a cached
  // confidence read's throughput) and set as the reply's own headers: a header set on the raw response
  // sends all of a reply's headers through Node's slower setHeader path.
  const securityHeaders = headersOf(helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // Only a service known to be served over HTTPS may ask browsers to upgrade: over plain
        // HTTP on any name but localhost, the console's own scripts would then fail to load.
        upgradeInsecureRequests: config.servedOverHttps ? [] : null,
      },
    },
  }));
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(securityHeaders);
    done();
  });
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false, exposedHeaders: ['ETag', 'Location'] });

  // The analyst console: static files at /, calling the same API. Served from src/ (dist/ or src/ alike).
  await app.register(fastifyStatic, { root: join(import.meta.dirname, '..', 'src', 'console', 'public'), prefix: '/', wildcard: false });
  // The console imports the service's own vocabulary modules, as the build compiled them (dependency-free ES modules).
  await app.register(fastifyStatic, {
    root: join(import.meta.dirname, '..', 'dist', 'vocabulary'),
    prefix: '/vocabulary/',
    decorateReply: false,
    allowedPath: (path) => path.endsWith('.js') && !path.endsWith('.spec.js'),
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Claimtrack API')
      .setDescription(
        'Claims, their sources, evidence and counter-evidence, and analysts\' assessments over time. ' +
          'Errors are application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API key' }, BEARER_SCHEME)
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, API_KEY_SCHEME)
      .addBasicAuth({ type: 'http', scheme: 'basic', description: 'An API key as the password (any user name).' }, BASIC_SCHEME)
      .build(),
    { extraModels: PROBLEM_MODELS },
  );
  // Relative to where the document is served, unless the public address is configured.
  completeDocument(document, config.publicBaseUrl ?? '/', [{ pathPrefix: '/taxii2/', mediaType: TAXII_MEDIA_TYPE, schema: TaxiiErrorResponse }]);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
