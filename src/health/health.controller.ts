import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, PrismaHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { Problem } from '../common/problem.js';
import { ChangeFeedService } from '../confidence/change-feed.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { ShutdownState } from './shutdown-state.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly prismaIndicator: PrismaHealthIndicator,
    private readonly prisma: PrismaService,
    private readonly shutdown: ShutdownState,
    private readonly feed: ChangeFeedService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP.' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: the database answers within one second. Also reports how far the change feed is held back by open transactions ' +
      '(changeFeed: unreleasedChanges, oldestUnreleasedSeconds, oldestTransactionSeconds).',
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        info: { database: { status: 'up' }, changeFeed: { status: 'up', unreleasedChanges: 0, oldestUnreleasedSeconds: 0, oldestTransactionSeconds: 0.4 } },
        error: {},
        details: { database: { status: 'up' }, changeFeed: { status: 'up', unreleasedChanges: 0, oldestUnreleasedSeconds: 0, oldestTransactionSeconds: 0.4 } },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'The database is unreachable (problem+json).' })
  async ready(): Promise<HealthCheckResult> {
    if (this.shutdown.draining) throw new Problem(HttpStatus.SERVICE_UNAVAILABLE, 'Shutting down.', { checks: { shutdown: 'draining' } });
    try {
      return await this.health.check([
        () => this.prismaIndicator.pingCheck('database', this.prisma, { timeout: 1000 }),
        // Reported, not judged: a held-back feed is late, not down (see the README on long transactions).
        async () => ({ changeFeed: { status: 'up' as const, ...(await this.feed.lag()) } }),
      ]);
    } catch {
      throw new Problem(HttpStatus.SERVICE_UNAVAILABLE, 'The database is not reachable.', { checks: { database: 'down' } });
    }
  }
}
