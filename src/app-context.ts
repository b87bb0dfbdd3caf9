import { HttpException, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { AppModule } from './app.module.js';
import { resolveDatabase } from './database/database-url.js';
import { applyMigrations } from './database/migrator.js';

/**
 * For command-line tools: the application's services, without HTTP, on DATABASE_URL
 * or the embedded PostgreSQL. Sets the exit code to 1 if `work` fails. The alerts worker
 * runs only in the tool made for it (`worker`): a report or a seed delivers nothing.
 */
export async function withAppContext(
  work: (app: INestApplicationContext, database: { embedded: boolean }) => Promise<void>,
  { migrate = false, worker = false } = {},
): Promise<void> {
  process.env.ALERTS_WORKER = worker ? 'on' : 'off';
  const database = await resolveDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.EMBEDDED_DATABASE = String(database.embedded);
  // These tools sign no tokens, so a throwaway secret satisfies the configuration check.
  process.env.JWT_SECRET ??= randomBytes(32).toString('base64url');
  try {
    if (migrate) await applyMigrations(database.url);
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
    try {
      await work(app, database);
    } finally {
      await app.close();
    }
  } catch (error) {
    // Refusals (no such user, bad input) are the answer, not a crash: their message is enough.
    console.error(error instanceof HttpException ? error.message : error);
    process.exitCode = 1;
  } finally {
    await database.stop();
  }
}
