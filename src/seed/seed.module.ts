import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { AssessmentsModule } from '../assessments/assessments.module.js';
import { ClaimsModule } from '../claims/claims.module.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { ProvenanceModule } from '../provenance/provenance.module.js';
import { QuestionsModule } from '../questions/questions.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { TeamModule } from '../team/team.module.js';
import { UsersModule } from '../users/users.module.js';
import { SeedService } from './seed.service.js';

@Module({
  imports: [UsersModule, ApiKeysModule, SourcesModule, ClaimsModule, EvidenceModule, AssessmentsModule, QuestionsModule, TeamModule, ProvenanceModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedModule {}
