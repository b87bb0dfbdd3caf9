import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems, DuplicateProblemDetails } from '../common/openapi.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CorroborationService } from './corroboration.service.js';
import { DerivationsService } from './derivations.service.js';
import { CreateDerivationDto, DERIVATION_DOC, DerivationQueryDto, DerivationResponse, SourceDerivationsResponse } from './dto/derivation.dto.js';
import { ClaimOriginsResponse } from './dto/origins.response.js';
import { ConfirmDerivationDto, DerivationSuggestionQueryDto, DerivationSuggestionResponse } from './dto/suggestion.dto.js';
import { EchoService } from './echo.service.js';

@ApiTags('provenance')
@Controller()
export class DerivationsController {
  constructor(
    private readonly derivations: DerivationsService,
    private readonly echo: EchoService,
    private readonly corroboration: CorroborationService,
  ) {}

  @Get('sources/:id/derivations')
  @ReadAccess()
  @ApiOperation({ summary: 'What a source derives from and what derives from it (with asOf, the links in force then).', description: DERIVATION_DOC })
  @ApiOkResponse({ type: SourceDerivationsResponse })
  @ApiProblems({ 404: 'No such source.' })
  list(@UuidParam('id') id: string, @Query() query: DerivationQueryDto): Promise<SourceDerivationsResponse> {
    return this.derivations.list(id, query);
  }

  @Post('sources/:id/derivations')
  @Roles('analyst')
  @ApiOperation({ summary: 'Record that a source derives from another; every claim citing either side is reweighed.', description: DERIVATION_DOC })
  @ApiCreatedResponse({ type: DerivationResponse })
  @ApiProblems({
    404: 'The source does not exist.',
    409: [DuplicateProblemDetails, 'The link is already recorded; `existingId` names it.'],
    422: 'derivedFromId is the source itself, unknown, or already derives from this source (a cycle).',
  })
  create(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: CreateDerivationDto): Promise<DerivationResponse> {
    return this.derivations.create(principal, id, body);
  }

  @Delete('sources/:id/derivations/:derivationId')
  @Roles('analyst')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a derivation link (it stays in the history); claims it joined are reweighed.' })
  @ApiNoContentResponse()
  @ApiProblems({ 404: 'No such link from this source.' })
  async withdraw(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @UuidParam('derivationId') derivationId: string): Promise<void> {
    await this.derivations.withdraw(principal, id, derivationId);
  }

  @Get('derivation-suggestions')
  @ReadAccess()
  @ApiOperation({ summary: 'Derivations proposed by echo detection (sources sharing long passages), open ones by default.' })
  @ApiOkResponse({ type: pageSchema(DerivationSuggestionResponse) })
  suggestions(@Query() query: DerivationSuggestionQueryDto): Promise<Page<DerivationSuggestionResponse>> {
    return this.echo.list(query);
  }

  @Post('derivation-suggestions/:id/confirm')
  @Roles('analyst')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a proposed derivation: the link is recorded, with the shared passage as its note.' })
  @ApiOkResponse({ type: DerivationSuggestionResponse })
  @ApiProblems({ 404: 'No such suggestion.', 409: 'Already confirmed or dismissed, or the link exists.', 422: 'The link would close a cycle.' })
  confirm(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: ConfirmDerivationDto): Promise<DerivationSuggestionResponse> {
    return this.echo.confirm(principal, id, body);
  }

  @Post('derivation-suggestions/:id/dismiss')
  @Roles('analyst')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a proposed derivation: the pair is never proposed again.' })
  @ApiOkResponse({ type: DerivationSuggestionResponse })
  @ApiProblems({ 404: 'No such suggestion.', 409: 'Already confirmed or dismissed.' })
  dismiss(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<DerivationSuggestionResponse> {
    return this.echo.dismiss(principal, id);
  }

  @Get('claims/:id/origins')
  @ReadAccess()
  @ApiOperation({ summary: "A claim's evidence grouped by origin (\"5 reports, 1 origin\"), each with the item it counts and the derivation chain joining its sources." })
  @ApiOkResponse({ type: ClaimOriginsResponse })
  @ApiProblems({ 404: 'No such claim.' })
  origins(@UuidParam('id') id: string): Promise<ClaimOriginsResponse> {
    return this.corroboration.origins(id);
  }
}
