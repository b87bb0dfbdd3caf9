import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { environment, type Environment } from './environment.js';

/** Typed, already-validated configuration. */
@Injectable()
export class AppConfig {
  // Embedded (local demo) runs may omit JWT_SECRET: tokens then last one process.
  private readonly fallbackJwtSecret = randomBytes(32).toString('base64url');

  constructor(@Inject(environment.KEY) private readonly env: ConfigType<typeof environment>) {}

  private get<K extends keyof Environment>(key: K): Environment[K] {
    return this.env[key];
  }

  get databaseUrl(): string {
    return this.get('DATABASE_URL');
  }
  get databasePoolSize(): number {
    return this.get('DATABASE_POOL_SIZE');
  }
  get databaseWaitMs(): number {
    return this.get('DATABASE_WAIT_MS');
  }
  get embeddedDatabase(): boolean {
    return this.get('EMBEDDED_DATABASE') === 'true';
  }
  get production(): boolean {
    return this.get('NODE_ENV') === 'production';
  }
  get port(): number {
    return this.get('PORT');
  }
  get host(): string {
    return this.get('HOST');
  }
  get streamHeartbeatSeconds(): number {
    return this.get('STREAM_HEARTBEAT_SECONDS');
  }
  get consensusExtremizing(): number {
    return this.get('CONSENSUS_EXTREMIZING');
  }
  get consensusWeighting(): 'equal' | 'track-record' {
    return this.get('CONSENSUS_WEIGHTING');
  }
  get alerts() {
    return {
      worker: this.get('ALERTS_WORKER') === 'on',
      concurrency: this.get('ALERTS_CONCURRENCY'),
      retryMs: this.get('ALERT_RETRY_HOURS') * 3_600_000,
      retryBaseMs: this.get('ALERT_RETRY_BASE_MS'),
      timeoutMs: this.get('ALERT_TIMEOUT_MS'),
      reviewScanMs: this.get('ALERT_REVIEW_SCAN_SECONDS') * 1000,
      staleLockSeconds: this.get('ALERT_STALE_LOCK_SECONDS'),
      /** Webhooks to private, loopback and link-local addresses, and plain http to loopback: in development, or where allowed. */
      privateAddresses: !this.production || this.get('ALERT_PRIVATE_NETWORKS') === 'true',
    };
  }
  get taxiiPublishMs(): number {
    return this.get('TAXII_PUBLISH_MS');
  }
  get shutdownGraceMs(): number {
    return this.get('SHUTDOWN_GRACE_MS');
  }
  get logLevel(): string {
    return this.get('LOG_LEVEL');
  }
  get bodyLimit(): number {
    return this.get('BODY_LIMIT');
  }
  get confidenceCacheClaims(): number {
    return this.get('CONFIDENCE_CACHE_CLAIMS');
  }

  get importMaxBytes(): number {
    return this.get('IMPORT_MAX_BYTES');
  }
  get corsOrigins(): string[] {
    return this.get('CORS_ORIGINS')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  }
  /** The base of links the service writes, when the operator set one. */
  get publicBaseUrl(): string | undefined {
    return this.get('PUBLIC_BASE_URL')?.replace(/\/+$/, '');
  }
  get servedOverHttps(): boolean {
    return this.publicBaseUrl?.startsWith('https:') ?? false;
  }
  /** Where this process listens, as a browser on this machine would reach it. */
  get listeningUrl(): string {
    const host = this.host;
    const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return `http://${name}:${this.port}`;
  }
  get jwtSecret(): string {
    return this.get('JWT_SECRET') ?? this.fallbackJwtSecret;
  }
  get accessTokenTtlSeconds(): number {
    return this.get('ACCESS_TOKEN_TTL_SECONDS');
  }
  get refreshTokenTtlSeconds(): number {
    return this.get('REFRESH_TOKEN_TTL_SECONDS');
  }
  get loginThrottle(): { perAccount: number; perAddress: number; ttlMs: number } {
    return {
      perAccount: this.get('LOGIN_THROTTLE_LIMIT'),
      perAddress: this.get('LOGIN_THROTTLE_ADDRESS_LIMIT'),
      ttlMs: this.get('LOGIN_THROTTLE_TTL_SECONDS') * 1000,
    };
  }
  get demo(): { password?: string; apiKey?: string } {
    return { password: this.get('DEMO_PASSWORD'), apiKey: this.get('DEMO_API_KEY') };
  }
  get initialAdmin(): { email: string; password: string } | undefined {
    const email = this.get('ADMIN_EMAIL');
    const password = this.get('ADMIN_PASSWORD');
    return email && password ? { email, password } : undefined;
  }
}
