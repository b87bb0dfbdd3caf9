import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { EvidenceController } from './evidence.controller.js';
import { EvidenceRepository } from './evidence.repository.js';
import { EvidenceService } from './evidence.service.js';

@Module({ imports: [ClaimsModule, SourcesModule], controllers: [EvidenceController], providers: [EvidenceRepository, EvidenceService], exports: [EvidenceService] })
export class EvidenceModule {}
