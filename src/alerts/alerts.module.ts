import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module.js';
import { AlertDeliverer } from './alert-deliverer.service.js';
import { AlertDispatcher } from './alert-dispatcher.service.js';
import { AlertRulesController } from './alert-rules.controller.js';
import { AlertRulesService } from './alert-rules.service.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsWorker } from './alerts-worker.service.js';
import { InboxController } from './inbox.controller.js';
import { InboxService } from './inbox.service.js';

@Module({
  imports: [ClaimsModule],
  controllers: [AlertRulesController, InboxController],
  providers: [AlertsRepository, AlertRulesService, InboxService, AlertDispatcher, AlertDeliverer, AlertsWorker],
})
export class AlertsModule {}
