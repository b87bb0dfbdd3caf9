import { Injectable } from '@nestjs/common';
import { groupBy } from '../common/group-by.js';
import { brierScore, calibrationTable } from './calibration.js';
import { CalibrationRepository } from './calibration.repository.js';
import type { CalibrationResponse } from './dto/calibration.response.js';

@Injectable()
export class CalibrationService {
  constructor(private readonly repository: CalibrationRepository) {}

  /** Every assessment version made before its claim was resolved is a forecast of the outcome. */
  async calibration(): Promise<CalibrationResponse> {
    const forecasts = await this.repository.forecasts();
    const analysts = [...groupBy(forecasts, (f) => f.analystId).values()].map((own) => ({
      analystId: own[0].analystId,
      name: own[0].name,
      forecasts: own.length,
      brierScore: brierScore(own)!,
    }));
    return {
      claims: new Set(forecasts.map((f) => f.claimId)).size,
      forecasts: forecasts.length,
      brierScore: brierScore(forecasts),
      analysts: analysts.sort((a, b) => a.brierScore - b.brierScore),
      bands: calibrationTable(forecasts),
    };
  }
}
