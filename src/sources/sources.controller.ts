import { ApiProblems, DuplicateProblemDetails } from '../common/openapi.js';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/params.js';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { DeleteQueryDto } from '../common/query.js';
import { CreateSourceDto } from './dto/create-source.dto.js';
import { SourceQueryDto } from './dto/source-query.dto.js';
import { SourceResponse } from './dto/source.response.js';
import { UpdateSourceDto } from './dto/update-source.dto.js';
import { SourcesService } from './sources.service.js';

@ApiTags('sources')
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Post()
  @Roles('analyst')
  @ApiOperation({ summary: 'Record a source, graded on the Admiralty reliability scale.' })
  @ApiCreatedResponse({ type: SourceResponse })
  @ApiProblems({ 409: [DuplicateProblemDetails, 'A source with the same (normalised) URL exists; `existingId` names it.'] })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSourceDto): Promise<SourceResponse> {
    return this.sources.create(principal, body);
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'List sources (without full texts).' })
  @ApiOkResponse({ type: pageSchema(SourceResponse) })
  list(@Query() query: SourceQueryDto): Promise<Page<SourceResponse>> {
    return this.sources.list(query);
  }

  @Get(':id')
  @ReadAccess()
  @ApiOperation({ summary: 'One source, with its full text.' })
  @ApiOkResponse({ type: SourceResponse })
  get(@UuidParam('id') id: string): Promise<SourceResponse> {
    return this.sources.get(id);
  }

  @Patch(':id')
  @Roles('analyst')
  @ApiOperation({ summary: 'Change a source; a new reliability grade records who graded it and when.' })
  @ApiOkResponse({ type: SourceResponse })
  @ApiProblems({ 409: [DuplicateProblemDetails, 'Another source has the new URL; `existingId` names it.'], 422: 'The new full text no longer contains quotes taken from this source.' })
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateSourceDto,
  ): Promise<SourceResponse> {
    return this.sources.update(principal, id, body);
  }

  @Delete(':id')
  @Roles('analyst')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive a source, or erase it with ?hard=true when nothing refers to it.' })
  @ApiNoContentResponse()
  @ApiProblems({ 409: 'hard=true on a source that claims or evidence refer to: archive it instead.' })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Query() query: DeleteQueryDto,
  ): Promise<void> {
    await this.sources.remove(principal, id, query.hard);
  }
}
