import { Module } from '@nestjs/common';
import { ConfidenceModule } from '../confidence/confidence.module.js';
import { BlindTopicsService } from './blind-topics.service.js';
import { EstimatesService } from './estimates.service.js';
import { TeamController } from './team.controller.js';

/** Analysts' own estimates, the team's consensus, blind first. */
@Module({ imports: [ConfidenceModule], controllers: [TeamController], providers: [EstimatesService, BlindTopicsService], exports: [EstimatesService, BlindTopicsService] })
export class TeamModule {}
