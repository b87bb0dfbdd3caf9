import { Module } from '@nestjs/common';
import { TrackRecordsController } from './track-records.controller.js';
import { TrackRecordsRepository } from './track-records.repository.js';
import { TrackRecordsService } from './track-records.service.js';

/** Who to trust: forecasters scored on resolved claims over the time their forecasts were in force, and calibration. */
@Module({ controllers: [TrackRecordsController], providers: [TrackRecordsRepository, TrackRecordsService], exports: [TrackRecordsService] })
export class TrackRecordsModule {}
