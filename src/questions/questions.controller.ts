import { ApiProblems } from '../common/openapi.js';
import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQueryDto, pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { CreateQuestionDto } from './dto/create-question.dto.js';
import { QuestionResponse, QuestionSummary } from './dto/question.response.js';
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
  @ApiProblems({ 422: 'A hypothesis is not a current claim.' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateQuestionDto): Promise<QuestionResponse> {
    return this.questions.create(principal, body);
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'List questions.' })
  @ApiOkResponse({ type: pageSchema(QuestionSummary) })
  list(@Query() query: PageQueryDto): Promise<Page<QuestionSummary>> {
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
  @ApiProblems({ 422: 'A rating names a claim that is not a hypothesis of the question, or evidence that is not current evidence of one.' })
  rate(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Body() body: RateEvidenceDto): Promise<QuestionResponse> {
    return this.questions.rate(principal, id, body);
  }
}
