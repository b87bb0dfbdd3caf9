import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfidenceModule } from '../confidence/confidence.module.js';
import { HealthController } from './health.controller.js';
import { ShutdownState } from './shutdown-state.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ConfidenceModule],
  controllers: [HealthController],
  providers: [ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}
