import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, queryRows } from '../database/query.js';

/** An assessment version made before its claim was resolved: a forecast of the outcome. */
export interface ForecastRow {
  claimId: string;
  probability: number;
  outcome: boolean;
  analystId: string;
  name: string;
}

const FORECASTS = defineQuery<[], ForecastRow>(
  'calibration_forecasts',
  `SELECT a.claim_id AS "claimId", a.probability, c.status = 'resolved_true' AS outcome, a.created_by_id AS "analystId", u.name
   FROM assessments a JOIN claims c ON c.id = a.claim_id JOIN users u ON u.id = a.created_by_id
   WHERE c.status IN ('resolved_true', 'resolved_false') AND a.created_at < c.resolved_at AND c.archived_at IS NULL`,
  { claimId: true, probability: true, outcome: true, analystId: true, name: true },
);

@Injectable()
export class CalibrationRepository {
  constructor(private readonly prisma: PrismaService) {}

  forecasts(): Promise<ForecastRow[]> {
    return queryRows(this.prisma.pool, FORECASTS, []);
  }
}
