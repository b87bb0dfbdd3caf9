import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { AttributionSuggestionsService } from './attribution-suggestions.service.js';
import { EvidenceController } from './evidence.controller.js';
import { EvidenceRepository } from './evidence.repository.js';
import { EvidenceService } from './evidence.service.js';

@Module({ imports: [ClaimsModule, SourcesModule, ProvenanceModule], controllers: [EvidenceController], providers: [AttributionSuggestionsService, EvidenceRepository, EvidenceService], exports: [EvidenceService] })
export class EvidenceModule {}
