import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems, DuplicateProblemDetails } from '../common/openapi.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CreateOriginatorDto, MergeOriginatorDto, OriginatorQueryDto, OriginatorResponse, UpdateOriginatorDto } from './dto/originator.dto.js';
import { OriginatorsService } from './originators.service.js';

@ApiTags('provenance')
@Controller('originators')
export class OriginatorsController {
  constructor(private readonly originators: OriginatorsService) {}

  @Post()
  @Roles('analyst')
  @ApiOperation({ summary: 'Record an originator: a speaker or body information comes from, with the spellings texts use for it.' })
  @ApiCreatedResponse({ type: OriginatorResponse })
  @ApiProblems({ 409: [DuplicateProblemDetails, 'The name or an alias already names another originator; `existingId` names it.'] })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOriginatorDto): Promise<OriginatorResponse> {
    return this.originators.create(principal, body);
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'List originators (merged ones only with includeArchived); q matches any spelling.' })
  @ApiOkResponse({ type: pageSchema(OriginatorResponse) })
  list(@Query() query: OriginatorQueryDto): Promise<Page<OriginatorResponse>> {
    return this.originators.list(query);
  }

  @Get(':id')
  @ReadAccess()
  @ApiOperation({ summary: 'One originator.' })
  @ApiOkResponse({ type: OriginatorResponse })
  @ApiProblems({ 404: 'No such originator.' })
  get(@UuidParam('id') id: string): Promise<OriginatorResponse> {
    return this.originators.get(id);
  }

  @Patch(':id')
  @Roles('analyst')
  @ApiOperation({ summary: 'Change an originator; a new grade reweighs every claim with evidence attributed to it.' })
  @ApiOkResponse({ type: OriginatorResponse })
  @ApiProblems({ 404: 'No such originator.', 409: [DuplicateProblemDetails, 'A new spelling names another originator, or this one was merged (change the survivor).'] })
  update(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: UpdateOriginatorDto): Promise<OriginatorResponse> {
    return this.originators.update(principal, id, body);
  }

  @Delete(':id/reliability')
  @Roles('analyst')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove an originator's own grade: its items are weighed by their sources' grades again." })
  @ApiNoContentResponse()
  @ApiProblems({ 409: 'This originator was merged (change the survivor).' })
  async removeGrade(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<void> {
    await this.originators.removeGrade(principal, id);
  }

  @Post(':id/merge')
  @Roles('analyst')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge this originator into another: its spellings and attributions become the survivor\'s; its row stays, as history.' })
  @ApiOkResponse({ type: OriginatorResponse, description: 'The survivor.' })
  @ApiProblems({ 409: 'This originator was already merged.', 422: 'intoId is this one, unknown or merged; or the two have different grades and `reliability` does not settle it.' })
  merge(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: MergeOriginatorDto): Promise<OriginatorResponse> {
    return this.originators.merge(principal, id, body);
  }
}
