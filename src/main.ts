import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.service.js';
import { configureApp, createAdapter } from './configure-app.js';
import { resolveDatabase } from './database/database-url.js';
import { applyMigrations } from './database/migrator.js';
import { PrismaService } from './database/prisma.service.js';
import { demoCredentialsFile } from './seed/demo-credentials.js';
import { runSeed } from './seed/seed-runner.js';
import { ShutdownState } from './health/shutdown-state.js';

/**
 * V8 lets its old generation grow to up to four times what the last full collection left live before it
 * collects again. With the confidence cache live (some 120 MB of heap at 100,000 claims), one export's
 * garbage took the process up by 250–400 MB; at one and a half times, by 20–80 MB, at the same export speed
 * (docs/performance.md). A --heap-growing-percent given to node (NODE_OPTIONS) wins.
 */
if (!/heap[-_]growing[-_]percent/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) setFlagsFromString('--heap-growing-percent=50');

/**
 * Starts the service: the database (DATABASE_URL, or an embedded PostgreSQL),
 * pending migrations, then HTTP. SIGTERM drains (readiness fails for the grace period
 * while requests are still served, for a load balancer); Ctrl-C (SIGINT) and a closed
 * terminal (SIGHUP) skip the grace period. Each then finishes in-flight requests and
 * stops the embedded PostgreSQL.
 */
async function bootstrap(): Promise<void> {
  const database = await resolveDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.EMBEDDED_DATABASE = String(database.embedded);
  let app: NestFastifyApplication | undefined;
  let stopping = false;
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    try {
      if (app && code === 0 && signal === 'SIGTERM') {
        // Fail readiness first and keep serving for a moment, so nothing routed here is cut off.
        app.get(ShutdownState).draining = true;
        await new Promise((resolve) => setTimeout(resolve, app!.get(AppConfig).shutdownGraceMs));
      }
      await app?.close();
    } finally {
      await database.stop();
      console.log(`Claimtrack stopped (${signal}).`);
      process.exit(code);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGHUP', () => void stop('SIGHUP'));

  try {
    const applied = await applyMigrations(database.url);
    if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
    app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(), { bufferLogs: true });
    await configureApp(app);
    if (database.embedded) {
      // A local demo: load the articles' claims into an empty database, and make demo accounts.
      const empty = (await app.get(PrismaService).claim.count()) === 0;
      await runSeed(app, { content: empty, embedded: true });
    }
    const config = app.get(AppConfig);
    await app.listen({ port: config.port, host: config.host });
    const url = config.publicBaseUrl ?? config.listeningUrl;
    const credentials = demoCredentialsFile();
    console.log(
      [
        `Claimtrack is ready${database.embedded ? ' (embedded PostgreSQL)' : ''}.`,
        `  Console:  ${url}/`,
        `  API docs: ${url}/docs`,
        ...(existsSync(credentials) ? [`  Demo sign-in: ${credentials}`] : []),
      ].join('\n'),
    );
  } catch (error) {
    console.error(error);
    await stop('start-up failure', 1);
  }
}

await bootstrap();
