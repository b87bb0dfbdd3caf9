import { ApiProperty } from '@nestjs/swagger';
import { ESTIMATIVE_TERM_NAMES, type EstimativeTerm } from '../../vocabulary/estimative.js';

export class AnalystCalibration {
  @ApiProperty({ format: 'uuid' })
  analystId: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ description: 'Assessment versions made before their claim was resolved.' })
  forecasts: number;
  @ApiProperty({ description: 'Mean squared error: 0 perfect, 0.25 always 50 %, 1 always certain and wrong.' })
  brierScore: number;
}

export class CalibrationBand {
  @ApiProperty({ enum: ESTIMATIVE_TERM_NAMES })
  term: EstimativeTerm;
  @ApiProperty()
  from: number;
  @ApiProperty()
  to: number;
  @ApiProperty()
  forecasts: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean probability given in this band.' })
  meanProbability: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of these forecasts whose claim turned out true.' })
  observedFrequency: number | null;
}

export class CalibrationResponse {
  @ApiProperty({ description: 'Resolved claims with at least one forecast.' })
  claims: number;
  @ApiProperty()
  forecasts: number;
  @ApiProperty({ type: Number, nullable: true })
  brierScore: number | null;
  @ApiProperty({ type: [AnalystCalibration] })
  analysts: AnalystCalibration[];
  @ApiProperty({ type: [CalibrationBand] })
  bands: CalibrationBand[];
}
