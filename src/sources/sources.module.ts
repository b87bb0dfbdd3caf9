import { Module } from '@nestjs/common';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { SourcesController } from './sources.controller.js';
import { SourcesRepository } from './sources.repository.js';
import { ClaimSuggestionsService } from './claim-suggestions.service.js';
import { SourceImportService } from './source-import.service.js';
import { SourcesService } from './sources.service.js';

@Module({ imports: [ProvenanceModule], controllers: [SourcesController], providers: [SourcesRepository, SourcesService, SourceImportService, ClaimSuggestionsService], exports: [SourcesService] })
export class SourcesModule {}
