import { AuthModule } from '../auth/auth.module.js';
import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module.js';
import { ConfidenceController } from './confidence.controller.js';
import { ConfidenceService } from './confidence.service.js';

@Module({ imports: [ClaimsModule, AuthModule], controllers: [ConfidenceController], providers: [ConfidenceService], exports: [ConfidenceService] })
export class ConfidenceModule {}
