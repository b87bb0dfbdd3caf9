import { Controller, Get, HttpCode, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { AcceptsLinkToken, CurrentPrincipal, ReadAccess } from '../auth/access.decorators.js';
import { LINK_TOKEN_TTL_SECONDS } from '../auth/auth.constants.js';
import { AuthService } from '../auth/auth.service.js';
import { LinkTokenResponse } from '../auth/dto/link-token.response.js';
import type { Principal } from '../auth/principal.js';
import { ReportQueryDto } from './dto/report-query.dto.js';
import { REPORT_MEDIA_TYPES } from '../vocabulary/report-formats.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly auth: AuthService,
  ) {}

  @Get('claims')
  @ReadAccess()
  @AcceptsLinkToken('claims-report')
  @ApiOperation({
    summary:
      'The claims report: statement, status, current (or as-of) assessment, evidence for and against with quotes and grades, sources, history. Streamed. ' +
      'Browsers may authenticate with ?token= from POST /reports/claims/tokens, to save it by following a link.',
  })
  @ApiProduces(...REPORT_MEDIA_TYPES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'A file in the requested format (Content-Disposition: attachment).' })
  claims(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReportQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): StreamableFile {
    const { chunks, filename, contentType } = this.reports.report(query, principal, { servedAt: `${request.protocol}://${request.host}` });
    reply.header('Cache-Control', 'private, no-store');
    return new StreamableFile(Readable.from(chunks), { type: contentType, disposition: `attachment; filename="${filename}"` });
  }

  @Post('claims/tokens')
  @ReadAccess()
  @HttpCode(201)
  @ApiOperation({
    summary:
      `A token that downloads the claims report as the caller, valid ${LINK_TOKEN_TTL_SECONDS} s: a browser that follows a link ` +
      'writes the file to disk as it streams, instead of holding a large report in page memory.',
  })
  @ApiCreatedResponse({ type: LinkTokenResponse })
  async token(@CurrentPrincipal() principal: Principal): Promise<LinkTokenResponse> {
    const token = await this.auth.linkToken(principal, 'claims-report');
    return { token, expiresIn: LINK_TOKEN_TTL_SECONDS, url: `/reports/claims?token=${token}` };
  }
}
