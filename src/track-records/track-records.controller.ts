import { Body, Controller, Get, HttpCode, Param, ParseEnumPipe, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { UuidParam } from '../common/params.js';
import { ApiProblems } from '../common/openapi.js';
import { AgreementRecord, CalibrationResponse, DismissSuggestionDto, ForecasterDetail, ForecasterRecord } from './dto/track-record.response.js';
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

  @Get('track-records/sources')
  @ReadAccess()
  @ApiOperation({ summary: "How often each source's evidence agreed with outcomes (Beta posterior, 95 % interval), and the grade its record earns." })
  @ApiOkResponse({ type: [AgreementRecord] })
  sources(): Promise<AgreementRecord[]> {
    return this.trackRecords.agreement('source');
  }

  @Get('track-records/originators')
  @ReadAccess()
  @ApiOperation({ summary: "How often each originator's attributed evidence agreed with outcomes, and the grade its record earns." })
  @ApiOkResponse({ type: [AgreementRecord] })
  originators(): Promise<AgreementRecord[]> {
    return this.trackRecords.agreement('originator');
  }

  @Post('track-records/:kind/:id/suggestion-dismissals')
  @Roles('analyst')
  @HttpCode(204)
  @ApiOperation({ summary: 'Dismiss the grade a track record suggests for a source or originator: that grade is not suggested for it again.' })
  @ApiParam({ name: 'kind', enum: ['sources', 'originators'] })
  @ApiNoContentResponse()
  @ApiProblems({ 404: 'No such source or originator.' })
  async dismiss(
    @CurrentPrincipal() principal: Principal,
    @Param('kind', new ParseEnumPipe(['sources', 'originators'])) kind: 'sources' | 'originators',
    @UuidParam('id') id: string,
    @Body() body: DismissSuggestionDto,
  ): Promise<void> {
    await this.trackRecords.dismissSuggestion(principal, kind === 'sources' ? 'source' : 'originator', id, body.reliability);
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
