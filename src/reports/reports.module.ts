import { ProvenanceModule } from '../provenance/provenance.module.js';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConfidenceModule } from '../confidence/confidence.module.js';
import { TrackRecordsModule } from '../track-records/track-records.module.js';
import { ClaimsModule } from '../claims/claims.module.js';
import { QuestionsModule } from '../questions/questions.module.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({ imports: [AuthModule, ClaimsModule, ConfidenceModule, TrackRecordsModule, QuestionsModule, ProvenanceModule], controllers: [ReportsController], providers: [ReportsRepository, ReportsService], exports: [ReportsService] })
export class ReportsModule {}
