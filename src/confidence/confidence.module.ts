import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClaimsModule } from '../claims/claims.module.js';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { ChangeFeedService } from './change-feed.service.js';
import { ConfidenceController } from './confidence.controller.js';
import { ConfidenceRepository } from './confidence.repository.js';
import { ConfidenceService } from './confidence.service.js';
import { EstimatesRepository } from '../team/estimates.repository.js';

@Module({
  imports: [ClaimsModule, AuthModule, ProvenanceModule],
  controllers: [ConfidenceController],
  providers: [ConfidenceRepository, ConfidenceService, ChangeFeedService, EstimatesRepository],
  exports: [ConfidenceService, ChangeFeedService, EstimatesRepository],
})
export class ConfidenceModule {}
