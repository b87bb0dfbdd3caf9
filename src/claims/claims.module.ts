import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module.js';
import { ClaimsController } from './claims.controller.js';
import { ClaimsService } from './claims.service.js';

@Module({ imports: [SourcesModule], controllers: [ClaimsController], providers: [ClaimsService], exports: [ClaimsService] })
export class ClaimsModule {}
