import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQueryDto, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CreateQuestionDto } from './dto/create-question.dto.js';
import { QuestionResponse } from './dto/question.response.js';
import { RateEvidenceDto } from './dto/rate-evidence.dto.js';
import { QuestionsService } from './questions.service.js';

@ApiTags('questions')
@Controller('questions')
export class QuestionsController {
  constructor(private readonly questions: QuestionsService) {}

  @Post()
  @Roles('analyst')
  @ApiOperation({ summary: 'Pose a question with competing hypotheses (mutually exclusive claims).' })
  @ApiCreatedResponse({ type: QuestionResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateQuestionDto): Promise<QuestionResponse> {
    return this.questions.create(principal, body);
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'List questions.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } }, total: { type: 'number' }, nextCursor: { type: 'string', nullable: true } } } })
  list(@Query() query: PageQueryDto): Promise<Page<{ id: string; title: string; createdAt: Date }>> {
    return this.questions.list(query);
  }

  @Get(':id')
  @ReadAccess()
  @ApiOperation({ summary: 'The ACH matrix: evidence × hypotheses, with inconsistency scores and non-diagnostic evidence marked.' })
  @ApiOkResponse({ type: QuestionResponse })
  get(@UuidParam('id') id: string): Promise<QuestionResponse> {
    return this.questions.get(id);
  }

  @Put(':id/ratings')
  @Roles('analyst')
  @ApiOperation({ summary: 'Rate evidence against hypotheses (CC, C, N, I, II, NA) with a relevance weight.' })
  @ApiOkResponse({ type: QuestionResponse })
  rate(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: RateEvidenceDto): Promise<QuestionResponse> {
    return this.questions.rate(principal, id, body);
  }
}
