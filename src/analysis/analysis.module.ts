import { Module } from '@nestjs/common';
import { CalibrationController } from './calibration.controller.js';
import { CalibrationRepository } from './calibration.repository.js';
import { CalibrationService } from './calibration.service.js';

@Module({ controllers: [CalibrationController], providers: [CalibrationRepository, CalibrationService], exports: [CalibrationService] })
export class AnalysisModule {}
