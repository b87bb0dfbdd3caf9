import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module.js';
import { AssessmentsController } from './assessments.controller.js';
import { AssessmentsRepository } from './assessments.repository.js';
import { AssessmentsService } from './assessments.service.js';

@Module({ imports: [ClaimsModule], controllers: [AssessmentsController], providers: [AssessmentsRepository, AssessmentsService], exports: [AssessmentsService] })
export class AssessmentsModule {}
