import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module.js';
import { AssessmentsController } from './assessments.controller.js';
import { AssessmentsService } from './assessments.service.js';

@Module({ imports: [ClaimsModule], controllers: [AssessmentsController], providers: [AssessmentsService], exports: [AssessmentsService] })
export class AssessmentsModule {}
