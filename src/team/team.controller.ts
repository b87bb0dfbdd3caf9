import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems, type ProblemSpec } from '../common/openapi.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { ValidationProblem } from '../common/problem.js';
import { toDate } from '../common/query.js';
import { BlindTopicsService } from './blind-topics.service.js';
import { BlindTopicList, BlindTopicResponse } from './dto/blind-topic.response.js';
import { CreateEstimateDto, WithdrawEstimateDto } from './dto/create-estimate.dto.js';
import { EstimateConflictProblem } from './dto/estimate-conflict.problem.js';
import { EstimateResponse } from './dto/estimate.response.js';
import { EstimatesQueryDto } from './dto/estimates-query.dto.js';
import { EstimatesService } from './estimates.service.js';

/** If-Match for an estimate names the version of your own chain: `"3"`. */
function ifMatchVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const version = /^(?:W\/)?"(\d{1,9})"$/.exec(ifMatch.trim())?.[1];
  if (version === undefined) throw new ValidationProblem([{ field: 'If-Match', messages: ['If-Match must name the version of your estimate, as "3"'] }]);
  return Number(version);
}

const WRITE_PROBLEMS: Record<number, ProblemSpec> = {
  409: [EstimateConflictProblem, 'Your chain moved past baseVersion (`currentVersion`, `current`), there is no estimate to withdraw, or the claim is archived or resolved.'],
  422: 'An evidenceIds item is not current evidence of this claim.',
  428: 'Neither baseVersion nor If-Match names the version revised.',
};

@ApiTags('team judgement')
@Controller()
export class TeamController {
  constructor(
    private readonly estimates: EstimatesService,
    private readonly blindTopics: BlindTopicsService,
  ) {}

  @Post('claims/:claimId/estimates')
  @Roles('analyst')
  @ApiOperation({ summary: 'Record your own estimate of a claim: the next version of your chain (409 if your chain moved past baseVersion).' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version of your chain you revise, as "3", instead of baseVersion.' })
  @ApiCreatedResponse({ type: EstimateResponse })
  @ApiProblems(WRITE_PROBLEMS)
  create(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('claimId') claimId: string,
    @Body() body: CreateEstimateDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<EstimateResponse> {
    return this.estimates.create(principal, claimId, body, ifMatchVersion(ifMatch));
  }

  @Post('claims/:claimId/estimates/withdrawal')
  @Roles('analyst')
  @ApiOperation({ summary: 'Withdraw your estimate: a new version of your chain, marked withdrawn, which leaves the consensus.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version of your chain you withdraw, as "3", instead of baseVersion.' })
  @ApiCreatedResponse({ type: EstimateResponse })
  @ApiProblems(WRITE_PROBLEMS)
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('claimId') claimId: string,
    @Body() body: WithdrawEstimateDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<EstimateResponse> {
    return this.estimates.withdraw(principal, claimId, body, ifMatchVersion(ifMatch));
  }

  @Get('claims/:claimId/estimates')
  @ReadAccess('read_confidence')
  @ApiOperation({
    summary:
      "Every analyst's chain of estimates on the claim (with asOf, as it stood then), by analyst then version. " +
      'On a blind claim: 403 until you have recorded yours (viewers and API keys: until two analysts have).',
  })
  @ApiOkResponse({ type: pageSchema(EstimateResponse) })
  @ApiProblems({ 403: 'The claim is blind and its estimates are not yet yours to see.', 404: 'No such claim.' })
  async list(@CurrentPrincipal() principal: Principal, @UuidParam('claimId') claimId: string, @Query() query: EstimatesQueryDto): Promise<Page<EstimateResponse>> {
    const items = await this.estimates.list(principal, claimId, query.asOf ? toDate(query.asOf) : undefined);
    return { items, total: items.length, nextCursor: null };
  }

  @Get('blind-topics')
  @ReadAccess()
  @ApiOperation({ summary: 'Topics whose claims are all blind first.' })
  @ApiOkResponse({ type: BlindTopicList })
  async listBlindTopics(): Promise<BlindTopicList> {
    return { items: await this.blindTopics.list() };
  }

  @Put('blind-topics/:topic')
  @Roles('analyst')
  @ApiOperation({ summary: 'Make every claim of a topic blind first: analysts see colleagues\' estimates only after recording their own.' })
  @ApiOkResponse({ type: BlindTopicResponse })
  blindTopic(@CurrentPrincipal() principal: Principal, @Param('topic') topic: string): Promise<BlindTopicResponse> {
    if (!/^[^\s].{0,63}$/u.test(topic.trim())) throw new ValidationProblem([{ field: 'topic', messages: ['topic must be 1 to 64 characters'] }]);
    return this.blindTopics.blind(principal, topic);
  }

  @Delete('blind-topics/:topic')
  @Roles('analyst')
  @HttpCode(204)
  @ApiOperation({ summary: 'A topic no longer blinds its claims (claims marked blind themselves stay blind).' })
  @ApiNoContentResponse({ description: 'Done (also when the topic was not blind).' })
  async unblindTopic(@Param('topic') topic: string): Promise<void> {
    await this.blindTopics.unblind(topic);
  }
}
