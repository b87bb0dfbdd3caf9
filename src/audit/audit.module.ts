import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';
import { EstimatesRepository } from '../team/estimates.repository.js';

@Global()
// The estimates repository answers which claims are blind (the audit trail withholds their estimates).
@Module({ controllers: [AuditController], providers: [AuditService, EstimatesRepository], exports: [AuditService] })
export class AuditModule {}
