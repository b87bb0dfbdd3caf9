import { ApiProblems, StaleEtagProblemDetails, DuplicateProblemDetails } from '../common/openapi.js';
import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { AsOfQueryDto, DeleteQueryDto, toDate } from '../common/query.js';
import { ClaimViews } from './claim-views.service.js';
import { ClaimsService } from './claims.service.js';
import { ClaimQueryDto } from './dto/claim-query.dto.js';
import { claimEtag } from './claim-etag.js';
import { AppearanceResponse, ClaimResponse } from './dto/claim.response.js';
import { AppearanceInputDto, CreateClaimDto } from './dto/create-claim.dto.js';
import { AnnulResolutionDto, ResolveClaimDto } from './dto/resolve-claim.dto.js';
import { UpdateClaimDto } from './dto/update-claim.dto.js';

@ApiTags('claims')
@Controller('claims')
export class ClaimsController {
  constructor(
    private readonly claims: ClaimsService,
    private readonly claimViews: ClaimViews,
  ) {}

  @Post()
  @Roles('analyst')
  @ApiOperation({ summary: 'Record a claim, optionally with where it appears (exact quotes).' })
  @ApiCreatedResponse({ type: ClaimResponse })
  @ApiProblems({ 409: [DuplicateProblemDetails, 'The same statement (ignoring case, punctuation, spacing) exists; `existingId` names it.'], 422: 'An appearance\'s source does not exist or is archived, or its quote is not verbatim in the source\'s full text.' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateClaimDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClaimResponse> {
    const claim = await this.claims.create(principal, body);
    reply.header('Location', `/claims/${claim.id}`).header('ETag', claimEtag(claim));
    return claim;
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'List claims with their current (or as-of) assessment; search with q.' })
  @ApiOkResponse({ type: pageSchema(ClaimResponse) })
  list(@Query() query: ClaimQueryDto): Promise<Page<ClaimResponse>> {
    return this.claimViews.list(query);
  }

  @Get(':id')
  @ReadAccess()
  @ApiOperation({ summary: 'One claim; its ETag is what If-Match takes on edits and new assessments.' })
  @ApiOkResponse({ type: ClaimResponse })
  async get(
    @UuidParam('id') id: string,
    @Query() query: AsOfQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClaimResponse> {
    const claim = await this.claimViews.get(id, toDate(query.asOf));
    if (!query.asOf) reply.header('ETag', claimEtag(claim));
    return claim;
  }

  @Patch(':id')
  @Roles('analyst')
  @ApiOperation({ summary: 'Change a claim. With If-Match, refused (412) if it changed since it was read.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The claim ETag the edit is based on.' })
  @ApiOkResponse({ type: ClaimResponse })
  @ApiProblems({ 409: [DuplicateProblemDetails, 'The new statement duplicates another claim; `existingId` names it.'], 412: [StaleEtagProblemDetails, 'The claim changed since the ETag in If-Match; `currentEtag` is its ETag now.'] })
  async update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateClaimDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ClaimResponse> {
    const claim = await this.claims.update(principal, id, body, ifMatch);
    reply.header('ETag', claimEtag(claim));
    return claim;
  }

  @Put(':id/resolution')
  @Roles('analyst')
  @ApiOperation({ summary: 'Record that a claim turned out true or false, when, and what showed it (for calibration).' })
  @ApiOkResponse({ type: ClaimResponse })
  @ApiProblems({ 422: 'resolvedAt is before the claim was recorded or in the future, or sourceId names no source.' })
  resolve(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ResolveClaimDto): Promise<ClaimResponse> {
    return this.claims.resolve(principal, id, body);
  }

  @Put(':id/resolution/annulment')
  @Roles('analyst')
  @ApiOperation({ summary: 'Annul a resolution (the claim turned out ill-posed): status annulled, closed, and left out of every score. Resolving again, or re-opening, undoes it.' })
  @ApiOkResponse({ type: ClaimResponse })
  @ApiProblems({ 409: 'The claim is not resolved.' })
  annul(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: AnnulResolutionDto): Promise<ClaimResponse> {
    return this.claims.annul(principal, id, body);
  }

  @Delete(':id/resolution')
  @Roles('analyst')
  @ApiOperation({ summary: 'Re-open a resolved claim (status open again), so that it can be assessed again. Its resolution stays in the audit trail.' })
  @ApiOkResponse({ type: ClaimResponse })
  @ApiProblems({ 409: 'The claim is not resolved.' })
  reopen(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<ClaimResponse> {
    return this.claims.reopen(principal, id);
  }

  @Delete(':id')
  @Roles('analyst')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a claim, or erase it with ?hard=true when it has no evidence or assessments.' })
  @ApiNoContentResponse()
  @ApiProblems({ 409: 'hard=true on a claim with evidence or assessments: archive it instead.' })
  async remove(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Query() query: DeleteQueryDto): Promise<void> {
    await this.claims.remove(principal, id, query.hard);
  }

  @Get(':id/appearances')
  @ReadAccess()
  @ApiOperation({ summary: 'Where the claim is made or reported.' })
  @ApiOkResponse({ type: [AppearanceResponse] })
  listAppearances(@UuidParam('id') id: string): Promise<AppearanceResponse[]> {
    return this.claims.listAppearances(id);
  }

  @Post(':id/appearances')
  @Roles('analyst')
  @ApiOperation({ summary: 'Add a source the claim appears in, with the exact quote.' })
  @ApiCreatedResponse({ type: AppearanceResponse })
  @ApiProblems({ 409: 'The claim is archived.', 422: 'The source does not exist or is archived, or the quote is not verbatim in its full text.' })
  addAppearance(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: AppearanceInputDto,
  ): Promise<AppearanceResponse> {
    return this.claims.addAppearance(principal, id, body);
  }

  @Delete(':id/appearances/:appearanceId')
  @Roles('analyst')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an appearance.' })
  @ApiNoContentResponse()
  async removeAppearance(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @UuidParam('appearanceId') appearanceId: string,
  ): Promise<void> {
    await this.claims.removeAppearance(principal, id, appearanceId);
  }
}
