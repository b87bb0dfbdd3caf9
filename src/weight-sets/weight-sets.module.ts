import { Module } from '@nestjs/common';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { WeightSetsController } from './weight-sets.controller.js';
import { WeightSetsRepository } from './weight-sets.repository.js';
import { WeightSetsService } from './weight-sets.service.js';

/** The evidence model's weights: the default scale, sets fitted to resolved claims, and the one an admin activated. */
@Module({ imports: [ProvenanceModule], controllers: [WeightSetsController], providers: [WeightSetsRepository, WeightSetsService] })
export class WeightSetsModule {}
