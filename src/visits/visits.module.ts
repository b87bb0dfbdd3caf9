import { Module } from '@nestjs/common';
import { ConfidenceModule } from '../confidence/confidence.module.js';
import { VisitsController } from './visits.controller.js';
import { VisitsRepository } from './visits.repository.js';
import { VisitsService } from './visits.service.js';

@Module({ imports: [ConfidenceModule], controllers: [VisitsController], providers: [VisitsRepository, VisitsService] })
export class VisitsModule {}
