import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ReadAccess } from '../auth/access.decorators.js';
import { ApiProblems } from '../common/openapi.js';
import { CalibrationResponse, ForecasterDetail, ForecasterRecord } from './dto/track-record.response.js';
import { TrackRecordsService } from './track-records.service.js';

@ApiTags('track records')
@Controller()
export class TrackRecordsController {
  constructor(private readonly trackRecords: TrackRecordsService) {}

  @Get('calibration')
  @ReadAccess()
  @ApiOperation({
    summary: "How well calibrated the team's record and each analyst have been, time-weighted: Brier and log scores, per ICD 203 band the forecast against the observed frequency with a Wilson interval, Murphy's decomposition, per topic.",
  })
  @ApiOkResponse({ type: CalibrationResponse })
  calibration(): Promise<CalibrationResponse> {
    return this.trackRecords.calibration();
  }

  @Get('track-records/analysts')
  @ReadAccess()
  @ApiOperation({ summary: "Every analyst's track record on resolved claims (their own estimates), and the team's record, consensus and evidence model, time-weighted." })
  @ApiOkResponse({ type: [ForecasterRecord] })
  analysts(): Promise<ForecasterRecord[]> {
    return this.trackRecords.analysts();
  }

  @Get('track-records/analysts/:id')
  @ReadAccess()
  @ApiOperation({ summary: "One forecaster's scored claims: an analyst's id, or record, consensus or evidence." })
  @ApiParam({ name: 'id', description: "An analyst's id, or record, consensus or evidence." })
  @ApiOkResponse({ type: ForecasterDetail })
  @ApiProblems({ 404: 'No forecasts of this forecaster on resolved claims.' })
  forecaster(@Param('id') id: string): Promise<ForecasterDetail> {
    return this.trackRecords.forecaster(id);
  }
}
