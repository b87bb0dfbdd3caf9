import { applyDecorators } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** A whole number from `min` (to `max`). */
const IntSetting = (min: number, max?: number) => applyDecorators(Transform(toNumber), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));

/**
 * Every environment variable the service reads, checked once at start-up.
 * The README's configuration table mirrors this class.
 */
export class Environment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** Set by start-up to the embedded PostgreSQL when the operator gave none. */
  @IsString()
  DATABASE_URL: string;

  /** "true" when DATABASE_URL points at the embedded PostgreSQL (demo defaults apply). */
  @IsOptional()
  @IsIn(['true', 'false'])
  EMBEDDED_DATABASE: 'true' | 'false' = 'false';

  @IntSetting(0, 65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /**
   * Which proxies in front of the service to believe about the client's address and protocol
   * (X-Forwarded-For, X-Forwarded-Proto): `false` (none, the default: those headers are
   * ignored), `true` (any), a number of hops, or a comma-separated list of addresses or CIDR ranges.
   */
  @Matches(/^(true|false|\d{1,2}|[\da-fA-F.:/]+(\s*,\s*[\da-fA-F.:/]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of addresses or CIDR ranges',
  })
  TRUST_PROXY = 'false';

  @IntSetting(1, 100)
  DATABASE_POOL_SIZE = 10;

  /**
   * How long a request may wait for one of the pool's connections (and a transaction for
   * its locks) when the database is saturated, before it is answered 503 with Retry-After.
   * It also bounds opening a connection, so it is never less than 100 ms.
   */
  @IntSetting(100, 120_000)
  DATABASE_WAIT_MS = 10_000;

  /**
   * How many claims' confidence answers an instance keeps in memory (about 2 KB each). Reads of
   * claims beyond it go to the database: set it to the number of claims API clients read, memory allowing.
   */
  @IntSetting(1_000, 100_000_000)
  CONFIDENCE_CACHE_CLAIMS = 100_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Largest request body accepted, in bytes; larger ones get 413. */
  @IntSetting(1024)
  BODY_LIMIT = 2_097_152;

  /** Largest document `POST /sources/import` accepts, in bytes (20 MiB by default); larger ones get 413. */
  @IntSetting(1024)
  IMPORT_MAX_BYTES = 20_971_520;

  /** Comma-separated origins allowed by CORS; empty allows none. */
  @IsString()
  CORS_ORIGINS = '';

  /**
   * Base of the links the service writes into reports (e.g. https://claimtrack.example.org).
   * Unset, a report links to the address its request reached (or, from the command
   * line, to http://HOST:PORT).
   */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;

  /** Secret that signs access tokens; required unless the database is embedded. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  @IntSetting(30)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @IntSetting(60)
  REFRESH_TOKEN_TTL_SECONDS = 1_209_600;

  /**
   * On SIGTERM, how long readiness reports 503 while requests are still served,
   * so a load balancer stops routing here before connections close.
   */
  @IntSetting(0, 60_000)
  SHUTDOWN_GRACE_MS = 1_000;

  /** How often the confidence stream sends a heartbeat event, so that proxies keep idle streams open. */
  @IntSetting(1, 300)
  STREAM_HEARTBEAT_SECONDS = 15;

  /**
   * The team consensus's extremizing factor d (see src/analysis/consensus.ts): 1 pools the
   * analysts' log-odds as they are; above 1 pushes the pool away from 50 %.
   */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(3)
  CONSENSUS_EXTREMIZING = 1;

  /**
   * How the consensus weighs each analyst: `equal`, or `track-record` (exp of their peer score,
   * within [0.25, 4], once they have 5 resolved claims; see src/analysis/consensus.ts).
   */
  @IsIn(['equal', 'track-record'])
  CONSENSUS_WEIGHTING: 'equal' | 'track-record' = 'equal';

  /**
   * Whether this process delivers alerts (runs the job queue's worker): `on` by default; `off`
   * for API instances of a deployment that runs `npm run worker` separately.
   */
  @IsIn(['on', 'off'])
  ALERTS_WORKER: 'on' | 'off' = 'on';

  /** How many alert jobs (dispatches and webhook deliveries) one worker runs at once. */
  @IntSetting(1, 100)
  ALERTS_CONCURRENCY = 10;

  /** A failed webhook delivery is retried (exponential backoff from ALERT_RETRY_BASE_MS, with jitter) for this many hours, then marked failed. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  ALERT_RETRY_HOURS = 24;

  /** The first retry's delay; each next one doubles, up to an hour. */
  @IntSetting(10)
  ALERT_RETRY_BASE_MS = 5_000;

  /** A webhook request's time limit (connection, request and reading the response). */
  @IntSetting(100, 60_000)
  ALERT_TIMEOUT_MS = 10_000;

  /**
   * `true` lets webhooks go to private addresses (and plain http to loopback) in production too: for
   * receivers on the deployment's own network. Off, such URLs are refused (SSRF); in development always allowed.
   */
  @IsIn(['true', 'false'])
  ALERT_PRIVATE_NETWORKS: 'true' | 'false' = 'false';

  /** How often claims past their review-by time are looked for (each announced once per due date). */
  @IntSetting(1, 3_600)
  ALERT_REVIEW_SCAN_SECONDS = 60;

  /**
   * A job locked for longer than this belongs to a worker that died (no alert job runs longer than
   * ALERT_TIMEOUT_MS, which it must exceed): its lock is released and the job runs again. A new
   * delivery's safety-net job, should the first attempt die with its worker, is due this long after.
   */
  @IntSetting(1, 86_400)
  ALERT_STALE_LOCK_SECONDS = 60;

  /** How often the TAXII publisher renders what changed into new STIX object versions (where ALERTS_WORKER runs). */
  @IntSetting(50, 60_000)
  TAXII_PUBLISH_MS = 1_000;

  /** Sign-in attempts allowed per account (whatever the address) within LOGIN_THROTTLE_TTL_SECONDS. */
  @IntSetting(1)
  LOGIN_THROTTLE_LIMIT = 10;

  /**
   * Sign-in and refresh attempts allowed per client address within LOGIN_THROTTLE_TTL_SECONDS,
   * whatever the account: high enough for an office behind one address, low enough to stop spraying.
   */
  @IntSetting(1)
  LOGIN_THROTTLE_ADDRESS_LIMIT = 100;

  @IntSetting(1)
  LOGIN_THROTTLE_TTL_SECONDS = 60;

  @IsOptional()
  @IsString()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12)
  ADMIN_PASSWORD?: string;

  /** Password of the demo accounts made by `npm run seed` (and by the embedded default instead of random ones). */
  @IsOptional()
  @IsString()
  @MinLength(12)
  DEMO_PASSWORD?: string;

  /** The demo read-confidence API key, in the service's key format (ct_XXXXXXXX_ plus 43 characters). */
  @IsOptional()
  @Matches(/^ct_[\w-]{8}_[\w-]{43}$/, { message: 'DEMO_API_KEY must look like ct_XXXXXXXX_ followed by 43 characters' })
  DEMO_API_KEY?: string;
}

/** TRUST_PROXY as Fastify's `trustProxy` option takes it (a number of hops as the function proxy-addr calls per hop). */
export function trustProxy(value: string): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return (_address, hop) => hop < Number(value);
  return value;
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (env.ALERT_STALE_LOCK_SECONDS * 1000 <= env.ALERT_TIMEOUT_MS) {
    // A job is taken for dead only once its webhook request would have timed out.
    throw new Error('Invalid configuration:\n  ALERT_STALE_LOCK_SECONDS: must be longer than ALERT_TIMEOUT_MS');
  }
  if (!env.JWT_SECRET && env.EMBEDDED_DATABASE !== 'true') {
    throw new Error('Invalid configuration:\n  JWT_SECRET: required (32+ characters) unless the database is embedded');
  }
  return env;
}

/** Validated when the application is created, not when this file is imported, so callers can set the environment first. */
export const environment = registerAs('environment', () => validateEnvironment(process.env));
