import { TrackRecordsModule } from '../track-records/track-records.module.js';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module.js';
import { ClaimsController } from './claims.controller.js';
import { ClaimViews } from './claim-views.service.js';
import { ClaimsRepository } from './claims.repository.js';
import { ClaimsService } from './claims.service.js';

@Module({ imports: [SourcesModule, ProvenanceModule, TrackRecordsModule], controllers: [ClaimsController], providers: [ClaimsRepository, ClaimViews, ClaimsService], exports: [ClaimsRepository, ClaimViews, ClaimsService] })
export class ClaimsModule {}
