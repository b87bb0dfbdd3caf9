import etag from '@fastify/etag';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AppConfig } from './config/app-config.service.js';
import { validateEnvironment } from './config/environment.js';
import { API_KEY_SCHEME, BEARER_SCHEME } from './auth/auth.constants.js';
import { ServiceLogger } from './common/service-logger.js';

const REQUEST_ID = /^[\w.-]{1,100}$/;

/** The HTTP adapter: Fastify, with the body limit from the environment. */
export function createAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: validateEnvironment(process.env).BODY_LIMIT,
    // Long path parameters reach the validation pipes (a clear 400) instead of Fastify's bare 414.
    routerOptions: { maxParamLength: 16_384 },
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

/** What the module cannot declare itself; shared by main.ts and the tests. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  app.useLogger(new ServiceLogger(app.get(Logger)));
  // The id in our logs, handed back so a caller can quote it.
  app.getHttpAdapter().getInstance().addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  // Only routes that opt in with @RouteConfig({ rateLimit }) are limited (sign-in, against password guessing).
  await app.register(rateLimit, {
    global: false,
    max: config.loginThrottle.limit,
    timeWindow: config.loginThrottle.ttlMs,
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`Too many attempts; retry in ${context.after}.`), { statusCode: 429 }),
  });
  // Strong ETags on every response that has none, and 304 for a matching If-None-Match.
  await app.register(etag);
  await app.register(helmet, {
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
  });
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false, exposedHeaders: ['ETag', 'Location'] });

  // The analyst console: static files at /, calling the same API. Served from src/ (dist/ or src/ alike).
  await app.register(fastifyStatic, { root: join(import.meta.dirname, '..', 'src', 'console', 'public'), prefix: '/', wildcard: false });

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
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
