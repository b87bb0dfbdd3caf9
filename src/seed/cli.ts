import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../app.module.js';
import { resolveDatabase } from '../database/database-url.js';
import { applyMigrations } from '../database/migrator.js';
import { runSeed } from './seed-runner.js';

/** `npm run seed`: migrates, then loads seed/ into DATABASE_URL (or the embedded database). Safe to repeat. */
const database = await resolveDatabase();
process.env.DATABASE_URL = database.url;
process.env.EMBEDDED_DATABASE = String(database.embedded);
// The seed signs no tokens, so a throwaway secret satisfies the configuration check.
process.env.JWT_SECRET ??= randomBytes(32).toString('base64url');
try {
  await applyMigrations(database.url);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    await runSeed(app, { content: true, embedded: database.embedded });
  } finally {
    await app.close();
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await database.stop();
}
