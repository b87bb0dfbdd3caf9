import { Module, RequestMethod, ValidationPipe } from '@nestjs/common';
import { TaxiiModule } from './taxii/taxii.module.js';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { requestLogLevel } from './common/request-log-level.js';
import { TrackRecordsModule } from './track-records/track-records.module.js';
import { WeightSetsModule } from './weight-sets/weight-sets.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AssessmentsModule } from './assessments/assessments.module.js';
import { ClaimsModule } from './claims/claims.module.js';
import { ConfidenceModule } from './confidence/confidence.module.js';
import { EvidenceModule } from './evidence/evidence.module.js';
import { QuestionsModule } from './questions/questions.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SeedModule } from './seed/seed.module.js';
import { SourcesModule } from './sources/sources.module.js';
import { ProvenanceModule } from './provenance/provenance.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { KnownQueryGuard } from './common/known-query.guard.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { flattenValidationErrors, ValidationProblem } from './common/problem.js';
import { StorableInputPipe } from './common/storable-input.pipe.js';
import { AppConfig } from './config/app-config.service.js';
import { AppConfigModule } from './config/config.module.js';
import { PrismaModule } from './database/prisma.module.js';
import { HealthModule } from './health/health.module.js';
import { UsersModule } from './users/users.module.js';
import { VisitsModule } from './visits/visits.module.js';
import { TeamModule } from './team/team.module.js';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        pinoHttp: [
          {
            level: config.logLevel,
            // Fastify assigned the id (from X-Request-Id or a new UUID) before the logger runs.
            genReqId: (req) => (req as { id?: string }).id ?? '',
            customLogLevel: (req, res, error) => requestLogLevel(req.method, res.statusCode, error),
            redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'], remove: true },
            serializers: {
              // Link tokens are short-lived, but a log outlives them: keep them out of it.
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.replace(/([?&]token=)[^&]*/, '$1[redacted]') }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
          // Buffered: one write per 4 KB of log lines rather than one system call per request.
          pino.destination({ dest: 1, sync: false, minLength: 4096 }),
        ],
      }),
    }),
    PrismaModule,
    AuditModule,
    HealthModule,
    AuthModule,
    UsersModule,
    ApiKeysModule,
    ProvenanceModule,
    SourcesModule,
    ClaimsModule,
    EvidenceModule,
    AssessmentsModule,
    ConfidenceModule,
    ReportsModule,
    TrackRecordsModule,
    WeightSetsModule,
    QuestionsModule,
    VisitsModule,
    TeamModule,
    AlertsModule,
    TaxiiModule,
    SeedModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: StorableInputPipe },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
        transform: true,
        exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
      }),
    },
    { provide: APP_GUARD, useClass: KnownQueryGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class AppModule {}
