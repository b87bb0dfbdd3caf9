import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { AppConfig } from '../config/app-config.service.js';
import { CHANGES_CHANNEL, parseChange, type ChangedTable } from './changes.js';

const RECONNECT_MS = 1_000;

/**
 * Change notifications through PostgreSQL (LISTEN/NOTIFY, delivered to every
 * instance when the writing transaction commits), so per-process caches can drop
 * what changed (writes announce through `Transactions.write`). Writes that bypass the
 * services (hand-written SQL) announce nothing;
 * cache entries expire on their own as a backstop.
 * While the listening connection is down, `live` is false and caches must not
 * serve; when it comes back, `reset` tells them to start empty.
 */
@Injectable()
export class DatabaseEvents implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseEvents.name);
  private readonly emitter = new EventEmitter().setMaxListeners(50);
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnecting = false;
  live = false;

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.live = false;
    await this.client?.end().catch(() => undefined);
  }

  on(table: ChangedTable, listener: (id: string) => void): void {
    this.emitter.on(table, listener);
  }

  onReset(listener: () => void): void {
    this.emitter.on('reset', listener);
  }

  /** Announces a change this process just committed, without waiting for the notification's round trip. */
  changed(table: ChangedTable, id: string): void {
    this.emitter.emit(table, id);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.databaseUrl, connectionTimeoutMillis: 3_000 });
    client.on('notification', ({ payload }) => {
      const change = parseChange(payload);
      if (change) this.emitter.emit(change.table, change.id);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      this.client = client;
      this.emitter.emit('reset');
      this.live = true;
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error);
    }
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.client === client) this.client = undefined;
    if (this.live) {
      this.logger.warn(`Change notifications lost (${error instanceof Error ? error.message : 'connection ended'}); caches are bypassed until they return.`);
    }
    this.live = false;
    if (this.stopped || this.reconnecting) return;
    this.reconnecting = true;
    setTimeout(() => {
      this.reconnecting = false;
      void this.connect();
    }, RECONNECT_MS).unref();
  }
}
