import { Injectable } from '@nestjs/common';
import { groupBy } from '../common/group-by.js';
import { PrismaService } from '../database/prisma.service.js';
import { brierScore, calibrationTable } from './calibration.js';
import type { CalibrationResponse } from './dto/calibration.response.js';

interface ForecastRow {
  claimId: string;
  probability: number;
  outcome: boolean;
  analystId: string;
  name: string;
}

@Injectable()
export class CalibrationService {
  constructor(private readonly prisma: PrismaService) {}

  /** Every assessment version made before its claim was resolved is a forecast of the outcome. */
  async calibration(): Promise<CalibrationResponse> {
    const forecasts = await this.prisma.$queryRaw<ForecastRow[]>`
      SELECT a.claim_id AS "claimId", a.probability, c.status = 'resolved_true' AS outcome,
             a.created_by_id AS "analystId", u.name
      FROM assessments a JOIN claims c ON c.id = a.claim_id JOIN users u ON u.id = a.created_by_id
      WHERE c.status IN ('resolved_true', 'resolved_false') AND a.created_at < c.resolved_at AND c.archived_at IS NULL`;
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
