import { Controller, Get, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ReadAccess } from '../auth/access.decorators.js';
import { ReportQueryDto } from './dto/report-query.dto.js';
import { REPORT_MEDIA_TYPES } from '../vocabulary/report-formats.js';
import { ReportsService } from './reports.service.js';

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('claims')
  @ReadAccess()
  @ApiOperation({
    summary:
      'The claims report: statement, status, current (or as-of) assessment, evidence for and against with quotes and grades, sources, history. Streamed.',
  })
  @ApiProduces(...REPORT_MEDIA_TYPES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'A file in the requested format (Content-Disposition: attachment).' })
  claims(@Query() query: ReportQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): StreamableFile {
    const { chunks, filename, contentType } = this.reports.report(query, { servedAt: `${request.protocol}://${request.host}` });
    reply.header('Cache-Control', 'private, no-store');
    return new StreamableFile(Readable.from(chunks), { type: contentType, disposition: `attachment; filename="${filename}"` });
  }
}
