import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { TaxiiPublisher } from './taxii-publisher.service.js';
import { TaxiiController } from './taxii.controller.js';
import { TaxiiRepository } from './taxii.repository.js';
import { TaxiiService } from './taxii.service.js';

/** The read-only TAXII 2.1 server, and the publisher that fills it (README, "STIX 2.1 and TAXII"). */
@Module({ imports: [ReportsModule], controllers: [TaxiiController], providers: [TaxiiRepository, TaxiiService, TaxiiPublisher], exports: [TaxiiPublisher] })
export class TaxiiModule {}
