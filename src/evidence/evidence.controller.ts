import { ApiProblems } from '../common/openapi.js';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { DeleteQueryDto } from '../common/query.js';
import { CreateEvidenceDto } from './dto/create-evidence.dto.js';
import { EvidenceQueryDto } from './dto/evidence-query.dto.js';
import { EvidenceResponse } from './dto/evidence.response.js';
import { UpdateEvidenceDto } from './dto/update-evidence.dto.js';
import { AttributionsDto, AttributionSuggestionQueryDto, AttributionSuggestionResponse, ConfirmAttributionDto } from './dto/attribution.dto.js';
import { EvidenceService } from './evidence.service.js';

@ApiTags('evidence')
@Controller('claims/:claimId/evidence')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Post('attributions')
  @Roles('analyst')
  @HttpCode(200)
  @ApiOperation({ summary: 'Attribute several of the claim\'s evidence items to originators at once (an item without originatorId loses its attribution); the claim is reweighed once.' })
  @ApiOkResponse({ type: [EvidenceResponse] })
  @ApiProblems({ 422: 'An item is not evidence of this claim, or an originator does not exist; the field names which.' })
  attribute(@CurrentPrincipal() principal: Principal, @UuidParam('claimId') claimId: string, @Body() body: AttributionsDto): Promise<EvidenceResponse[]> {
    return this.evidence.attribute(principal, claimId, body);
  }

  @Get('attribution-suggestions')
  @ReadAccess()
  @ApiOperation({ summary: 'Attributions proposed from the words around the quotes ("…, according to US officials"), open ones by default.' })
  @ApiOkResponse({ type: [AttributionSuggestionResponse] })
  suggestions(@UuidParam('claimId') claimId: string, @Query() query: AttributionSuggestionQueryDto): Promise<AttributionSuggestionResponse[]> {
    return this.evidence.listSuggestions(claimId, query);
  }

  @Post('attribution-suggestions/:id/confirm')
  @Roles('analyst')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a suggested attribution (recording the originator when it is new: give its kind).' })
  @ApiOkResponse({ type: AttributionSuggestionResponse })
  @ApiProblems({ 404: 'No such suggestion for this claim.', 409: 'Already confirmed or dismissed.', 422: 'The name is new and no kind was given, or originatorId is unknown.' })
  confirmSuggestion(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('claimId') claimId: string,
    @UuidParam('id') id: string,
    @Body() body: ConfirmAttributionDto,
  ): Promise<AttributionSuggestionResponse> {
    return this.evidence.confirmSuggestion(principal, claimId, id, body);
  }

  @Post('attribution-suggestions/:id/dismiss')
  @Roles('analyst')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a suggested attribution: it is not proposed again.' })
  @ApiOkResponse({ type: AttributionSuggestionResponse })
  @ApiProblems({ 404: 'No such suggestion for this claim.', 409: 'Already confirmed or dismissed.' })
  dismissSuggestion(@CurrentPrincipal() principal: Principal, @UuidParam('claimId') claimId: string, @UuidParam('id') id: string): Promise<AttributionSuggestionResponse> {
    return this.evidence.dismissSuggestion(principal, claimId, id);
  }

  @Post()
  @Roles('analyst')
  @ApiOperation({ summary: 'Add evidence or counter-evidence: an exact quote from a source, graded.' })
  @ApiCreatedResponse({ type: EvidenceResponse })
  @ApiProblems({ 409: 'The claim is archived.', 422: 'The source does not exist or is archived, or the quote is not verbatim in its full text.' })
  create(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('claimId') claimId: string,
    @Body() body: CreateEvidenceDto,
  ): Promise<EvidenceResponse> {
    return this.evidence.create(principal, claimId, body);
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: "The claim's evidence." })
  @ApiOkResponse({ type: pageSchema(EvidenceResponse) })
  list(@UuidParam('claimId') claimId: string, @Query() query: EvidenceQueryDto): Promise<Page<EvidenceResponse>> {
    return this.evidence.list(claimId, query);
  }

  @Get(':id')
  @ReadAccess()
  @ApiOperation({ summary: 'One evidence item.' })
  @ApiOkResponse({ type: EvidenceResponse })
  get(@UuidParam('claimId') claimId: string, @UuidParam('id') id: string): Promise<EvidenceResponse> {
    return this.evidence.get(claimId, id);
  }

  @Patch(':id')
  @Roles('analyst')
  @ApiOperation({ summary: 'Change an evidence item (regrade, correct the quote).' })
  @ApiOkResponse({ type: EvidenceResponse })
  @ApiProblems({ 422: 'The source does not exist or is archived, or the quote is not verbatim in its full text.' })
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('claimId') claimId: string,
    @UuidParam('id') id: string,
    @Body() body: UpdateEvidenceDto,
  ): Promise<EvidenceResponse> {
    return this.evidence.update(principal, claimId, id, body);
  }

  @Delete(':id')
  @Roles('analyst')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive an evidence item, or erase it with ?hard=true when no assessment cites it.' })
  @ApiNoContentResponse()
  @ApiProblems({ 409: 'hard=true on evidence an assessment version rests on: archive it instead.' })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('claimId') claimId: string,
    @UuidParam('id') id: string,
    @Query() query: DeleteQueryDto,
  ): Promise<void> {
    await this.evidence.remove(principal, claimId, id, query.hard);
  }
}
