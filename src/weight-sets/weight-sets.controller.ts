import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FIT_MIN_CLAIMS } from '../analysis/weight-fit.js';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems } from '../common/openapi.js';
import { UuidParam } from '../common/params.js';
import { WeightSetActivationResponse, WeightSetResponse } from './dto/weight-set.response.js';
import { WeightSetsService } from './weight-sets.service.js';

@ApiTags('weight sets')
@Controller('weight-sets')
export class WeightSetsController {
  constructor(private readonly weightSets: WeightSetsService) {}

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'The evidence model\'s weight sets, newest first: the default scale and the sets fitted to resolved claims, with their held-out scores and which is active.' })
  @ApiOkResponse({ type: [WeightSetResponse] })
  list(): Promise<WeightSetResponse[]> {
    return this.weightSets.list();
  }

  @Get(':id')
  @ReadAccess()
  @ApiOperation({ summary: 'One weight set.' })
  @ApiOkResponse({ type: WeightSetResponse })
  @ApiProblems({ 404: 'No such weight set.' })
  find(@UuidParam('id') id: string): Promise<WeightSetResponse> {
    return this.weightSets.find(id);
  }

  @Post('fit')
  @Roles('analyst')
  @ApiOperation({
    summary:
      `Fit a weight set to the resolved claims by regularised maximum likelihood (a fifth held out and scored against the active set) and store it, inactive. ` +
      `Needs ${FIT_MIN_CLAIMS} resolved claims with evidence for or against in force at their resolution.`,
  })
  @ApiCreatedResponse({ type: WeightSetResponse })
  @ApiProblems({ 409: 'A fit is already running.', 422: `Fewer than ${FIT_MIN_CLAIMS} resolved claims with evidence.` })
  fitSet(@CurrentPrincipal() principal: Principal): Promise<WeightSetResponse> {
    return this.weightSets.fitToResolvedClaims(principal);
  }

  @Post(':id/activate')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a fitted set the one in force (admins): every evidence-weighted probability is recomputed with it before this answers.' })
  @ApiOkResponse({ type: WeightSetActivationResponse })
  @ApiProblems({ 404: 'No such weight set.', 409: 'The set is already active.', 422: 'The set was not fitted (its fit did not converge).' })
  activate(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<WeightSetActivationResponse> {
    return this.weightSets.activate(principal, id);
  }
}
