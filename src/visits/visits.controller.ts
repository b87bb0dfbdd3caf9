import { Controller, Get, HttpCode, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems } from '../common/openapi.js';
import { PageQueryDto, pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { ChangedClaimResponse } from './dto/changed-claim.response.js';
import { VisitsService } from './visits.service.js';

/** Per user, so users only: API keys have no "last looked". */
@ApiTags('since you last looked')
@Controller('users/me')
export class VisitsController {
  constructor(private readonly visits: VisitsService) {}

  @Get('changes')
  @Roles('viewer')
  @ApiOperation({
    summary:
      'Claims others changed since you last looked at them (their fields, assessment, evidence, appearances, or the grade of a source of their evidence): ' +
      'who, how often, and the claim then and now. Most recently changed first.',
  })
  @ApiOkResponse({ type: pageSchema(ChangedClaimResponse) })
  changes(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<Page<ChangedClaimResponse>> {
    return this.visits.changes(principal, query);
  }

  @Put('visits/:claimId')
  @Roles('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Record that you looked at a claim now: what changed before drops out of your changes.' })
  @ApiNoContentResponse({ description: 'Recorded.' })
  @ApiProblems({ 404: 'No such claim.' })
  async visit(@CurrentPrincipal() principal: Principal, @UuidParam('claimId') claimId: string): Promise<void> {
    await this.visits.visit(principal.id, claimId);
  }

  @Put('visits')
  @Roles('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark every claim seen now: your changes start empty again.' })
  @ApiNoContentResponse({ description: 'Recorded.' })
  async seenAll(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.visits.seenAll(principal.id);
  }
}
