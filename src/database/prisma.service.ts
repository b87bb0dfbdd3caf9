import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { AppConfig } from '../config/app-config.service.js';
import { PrismaClient } from '../generated/prisma/client.js';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  /**
   * The connection pool Prisma uses, shared with the few hot paths that run one
   * prepared statement instead of the ORM's generic path.
   */
  readonly pool: pg.Pool;

  constructor(config: AppConfig) {
    const waitMs = config.databaseWaitMs;
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.databasePoolSize,
      // Bounds both connecting and waiting for a free connection: past it the caller gets a 503, not a hang.
      connectionTimeoutMillis: waitMs,
    });
    // An idle client losing its server connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    super({
      adapter: new PrismaPg(pool),
      // A burst of writes queues for the pool's connections: a transaction may wait as long as a
      // single query would (Prisma's own default, 2 s, answered bursts with errors), and once
      // started may take as long again to queue for a claim's row lock. Past that: 503.
      transactionOptions: { maxWait: waitMs, timeout: 2 * waitMs },
    });
    this.pool = pool;
  }

  async onModuleInit(): Promise<void> {
    // A database we cannot reach stops start-up rather than surfacing on the first request.
    await this.$queryRaw`SELECT 1`;
  }

  /** After the HTTP server has closed (Nest's last shutdown step), so requests still in flight keep their database. */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.pool.end();
  }
}
