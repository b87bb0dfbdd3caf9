import { Module } from '@nestjs/common';
import { TaxiiModule } from './taxii/taxii.module.js';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
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
import { StorableInputPipe } from './common/storable-input.pipe.js';
import { ServiceValidationPipe } from './common/validation.pipe.js';
import { AppConfigModule } from './config/config.module.js';
import { PrismaModule } from './database/prisma.module.js';
import { HealthModule } from './health/health.module.js';
import { UsersModule } from './users/users.module.js';
import { VisitsModule } from './visits/visits.module.js';
import { TeamModule } from './team/team.module.js';

@Module({
  imports: [
    AppConfigModule,
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
    { provide: APP_PIPE, useClass: ServiceValidationPipe },
    { provide: APP_GUARD, useClass: KnownQueryGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class AppModule {}
