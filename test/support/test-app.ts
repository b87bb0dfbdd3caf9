import { randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createAdapter } from '../../src/configure-app.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import type { Role } from '../../src/generated/prisma/enums.js';
import { UsersService } from '../../src/users/users.service.js';
import { databaseUrl, onServer } from './database.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  prisma: PrismaService;
  databaseUrl: string;
  /** Creates a user with the role and signs in; returns the bearer header value. */
  /** Listens on a free loopback port (for clients that need a real socket); returns the base URL. */
  listen(): Promise<string>;
  signIn(role: Role, email?: string): Promise<{ id: string; email: string; password: string; token: string; auth: string }>;
  close(): Promise<void>;
}

/** A fresh database copied from the migrated template, for this test file alone. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_SERVER_URL!;
  const name = `${process.env.TEST_RUN}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${process.env.TEST_TEMPLATE_DB}"`);
  return {
    url: databaseUrl(serverUrl, name),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

const jwtSecret = randomBytes(32).toString('base64url');
/** Variables an earlier app of this test file set, so they do not leak into the next one. */
let overridden: string[] = [];

/**
 * The real application, as main.ts builds it, on its own database; or on the
 * database of `on` (another app, for a second instance, or a given URL).
 */
export async function createTestApp(env: Record<string, string> = {}, on?: { databaseUrl: string }): Promise<TestApp> {
  const database = on ? { url: on.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  for (const name of overridden) delete process.env[name];
  overridden = Object.keys(env);
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    EMBEDDED_DATABASE: 'false',
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'silent',
    LOGIN_THROTTLE_LIMIT: '1000',
    LOGIN_THROTTLE_ADDRESS_LIMIT: '1000',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter());
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());

  return {
    app,
    http,
    prisma: app.get(PrismaService),
    databaseUrl: database.url,
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      return app.getUrl();
    },
    async signIn(role, email = `${role}-${randomUUID()}@example.org`) {
      const password = randomBytes(12).toString('base64url');
      const user = await app.get(UsersService).create(null, { email, name: `Test ${role}`, role, password });
      const response = await http.post('/auth/login').send({ email, password }).expect(200);
      const token = response.body.accessToken as string;
      return { id: user.id, email, password, token, auth: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
