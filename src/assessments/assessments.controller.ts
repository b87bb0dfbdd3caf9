import { ApiProblems } from '../common/openapi.js';
import { Body, Controller, Get, Headers, ParseIntPipe, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { versionFromEtag } from '../claims/claim-etag.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { ValidationProblem } from '../common/problem.js';
import { AssessmentsService } from './assessments.service.js';
import { AssessmentQueryDto } from './dto/assessment-query.dto.js';
import { AssessmentConflictProblem, AssessmentResponse } from './dto/assessment.response.js';
import { CreateAssessmentDto } from './dto/create-assessment.dto.js';

const versionPipe = new ParseIntPipe({
  exceptionFactory: () => new ValidationProblem([{ field: 'version', messages: ['version must be an integer'] }]),
});

@ApiTags('assessments')
@Controller('claims/:claimId/assessments')
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Post()
  @Roles('analyst')
  @ApiOperation({ summary: 'Record a new assessment version; refused with 409 if someone assessed since baseVersion.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The claim ETag, instead of baseVersion.' })
  @ApiCreatedResponse({ type: AssessmentResponse })
  @ApiProblems({ 409: [AssessmentConflictProblem, 'Assessed since baseVersion (`currentVersion` and `current` hold the version that won), or the claim is archived or resolved.'], 422: 'An evidenceIds item is not current evidence of this claim.', 428: 'Neither baseVersion nor If-Match names the version revised.' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('claimId') claimId: string,
    @Body() body: CreateAssessmentDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AssessmentResponse> {
    const ifMatchVersion = versionFromEtag(ifMatch);
    if (ifMatch !== undefined && ifMatchVersion === undefined) {
      throw new ValidationProblem([{ field: 'If-Match', messages: ['If-Match must be a claim ETag'] }]);
    }
    const assessment = await this.assessments.create(principal, claimId, body, ifMatchVersion);
    reply.header('Location', `/claims/${claimId}/assessments/${assessment.version}`);
    return assessment;
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'Assessment history of a claim, newest first.' })
  @ApiOkResponse({ type: pageSchema(AssessmentResponse) })
  list(@UuidParam('claimId') claimId: string, @Query() query: AssessmentQueryDto): Promise<Page<AssessmentResponse>> {
    return this.assessments.list(claimId, query);
  }

  @Get(':version')
  @ReadAccess()
  @ApiOperation({ summary: 'One assessment version.' })
  @ApiOkResponse({ type: AssessmentResponse })
  get(@UuidParam('claimId') claimId: string, @Param('version', versionPipe) version: number): Promise<AssessmentResponse> {
    return this.assessments.get(claimId, version);
  }
}
