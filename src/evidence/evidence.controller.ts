import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { DeleteQueryDto } from '../common/query.js';
import { CreateEvidenceDto } from './dto/create-evidence.dto.js';
import { EvidenceQueryDto } from './dto/evidence-query.dto.js';
import { EvidenceResponse } from './dto/evidence.response.js';
import { UpdateEvidenceDto } from './dto/update-evidence.dto.js';
import { EvidenceService } from './evidence.service.js';

@ApiTags('evidence')
@Controller('claims/:claimId/evidence')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Post()
  @Roles('analyst')
  @ApiOperation({ summary: 'Add evidence or counter-evidence: an exact quote from a source, graded.' })
  @ApiCreatedResponse({ type: EvidenceResponse })
  @ApiUnprocessableEntityResponse({ description: "The source does not exist, is archived, or its full text lacks the quote." })
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
  @ApiConflictResponse({ description: 'hard=true on evidence an assessment version rests on.' })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('claimId') claimId: string,
    @UuidParam('id') id: string,
    @Query() query: DeleteQueryDto,
  ): Promise<void> {
    await this.evidence.remove(principal, claimId, id, query.hard);
  }
}
