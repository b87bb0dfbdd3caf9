import { ApiProblems, DuplicateProblemDetails } from '../common/openapi.js';
import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UuidParam } from '../common/params.js';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { DeleteQueryDto } from '../common/query.js';
import { CreateSourceDto } from './dto/create-source.dto.js';
import { SourceQueryDto } from './dto/source-query.dto.js';
import { SourceResponse } from './dto/source.response.js';
import { UpdateSourceDto, UpdateSourceQueryDto } from './dto/update-source.dto.js';
import { SourceQuoteResponse } from './dto/quote-selector.dto.js';
import { ImportedSourceResponse, ImportPreviewResponse } from './dto/import-source.dto.js';
import { SourceImportService } from './source-import.service.js';
import { SourcesService } from './sources.service.js';
import { ClaimSuggestionsService } from './claim-suggestions.service.js';
import { ClaimSuggestionsResponse } from './dto/claim-suggestions.response.js';
import { Reliability, SourceKind } from '../generated/prisma/enums.js';

/** The multipart body of an import: the file and, optionally, any source field (each replaces what the document proposes). */
const IMPORT_BODY = {
  type: 'object' as const,
  required: ['file'],
  properties: {
    file: { type: 'string' as const, format: 'binary', description: 'HTML, PDF, plain text or Markdown; at most IMPORT_MAX_BYTES (20 MiB by default).' },
    title: { type: 'string' as const },
    kind: { type: 'string' as const, enum: Object.values(SourceKind) },
    outlet: { type: 'string' as const },
    author: { type: 'string' as const },
    url: { type: 'string' as const, format: 'uri' },
    publishedOn: { type: 'string' as const, example: '2023-03' },
    language: { type: 'string' as const, example: 'ru' },
    reliability: { type: 'string' as const, enum: Object.values(Reliability) },
    reliabilityNotes: { type: 'string' as const },
  },
};

@ApiTags('sources')
@Controller('sources')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly imports: SourceImportService,
    private readonly suggestions: ClaimSuggestionsService,
  ) {}

  @Post()
  @Roles('analyst')
  @ApiOperation({ summary: 'Record a source, graded on the Admiralty reliability scale.' })
  @ApiCreatedResponse({ type: SourceResponse })
  @ApiProblems({ 409: [DuplicateProblemDetails, 'A source with the same (normalised) URL exists; `existingId` names it.'] })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSourceDto): Promise<SourceResponse> {
    return this.sources.create(principal, body);
  }

  @Post('import')
  @Roles('analyst')
  @ApiOperation({
    summary:
      'Import a document (HTML, PDF, plain text or Markdown) as a source: its text is extracted and kept as the full text quotes are checked against, ' +
      'the file is kept with its SHA-256, and title, author, outlet, publication date and language are taken from its metadata unless sent as fields. ' +
      'The same file again answers 200 with the source it made.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: IMPORT_BODY })
  @ApiCreatedResponse({ type: ImportedSourceResponse })
  @ApiOkResponse({ type: ImportedSourceResponse, description: 'The same file was imported before: that source (`duplicate` true).' })
  @ApiProblems({
    409: [DuplicateProblemDetails, 'A source with the same (normalised) URL exists; `existingId` names it.'],
    413: 'The file is larger than IMPORT_MAX_BYTES.',
    415: 'Not multipart, or the file is not HTML, PDF, plain text or Markdown.',
    422: 'The document cannot be read (encrypted or corrupt PDF), has no text, or names no title and none was sent.',
  })
  async import(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<ImportedSourceResponse> {
    const { created, source } = await this.imports.import(principal, request);
    void reply.status(created ? 201 : 200);
    return source;
  }

  @Post('import/preview')
  @Roles('analyst')
  @HttpCode(200)
  @ApiOperation({ summary: 'What importing a document would give — its text, its proposed metadata, and the source already made from it — storing nothing.' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: IMPORT_BODY })
  @ApiOkResponse({ type: ImportPreviewResponse })
  @ApiProblems({ 413: 'The file is larger than IMPORT_MAX_BYTES.', 415: 'Not multipart, or not HTML, PDF, plain text or Markdown.', 422: 'The document cannot be read or has no text.' })
  preview(@Req() request: FastifyRequest): Promise<ImportPreviewResponse> {
    return this.imports.preview(request);
  }

  @Get(':id/file')
  @ReadAccess()
  @ApiOperation({ summary: 'The file a source was imported from, as uploaded (always as a download: an HTML file is never rendered here).' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiProblems({ 404: 'No such source, or it was not imported from a file.' })
  async file(@UuidParam('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const file = await this.imports.original(id);
    if (!file) throw new NotFoundException(`Source ${id} was not imported from a file.`);
    void reply
      .header('Content-Type', file.mediaType)
      .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('Content-Security-Policy', "default-src 'none'; sandbox");
    return file.content;
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
  @ApiProblems({ 409: [DuplicateProblemDetails, 'Another source has the new URL; `existingId` names it.'], 422: 'Quotes taken from this source would not be found once, with their context, in the new full text (allowDrift=true keeps the edit and marks them drifted).' })
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateSourceDto,
    @Query() query: UpdateSourceQueryDto,
  ): Promise<SourceResponse> {
    return this.sources.update(principal, id, body, query);
  }

  @Get(':id/claim-suggestions')
  @ReadAccess()
  @ApiOperation({
    summary:
      "For each sentence of the source's text, existing claims it may restate, support or contradict, and whether it looks like a new claim worth checking (attribution, numbers, modal verbs). Suggestions only.",
  })
  @ApiOkResponse({ type: ClaimSuggestionsResponse })
  @ApiProblems({ 404: 'No such source.' })
  claimSuggestions(@UuidParam('id') id: string): Promise<ClaimSuggestionsResponse> {
    return this.suggestions.suggest(id);
  }

  @Get(':id/quotes')
  @ReadAccess()
  @ApiOperation({ summary: 'The quotes taken from this source (appearances, evidence in force), in text order, with their positions and claims.' })
  @ApiOkResponse({ type: [SourceQuoteResponse] })
  @ApiProblems({ 404: 'No such source.' })
  quotes(@UuidParam('id') id: string): Promise<SourceQuoteResponse[]> {
    return this.sources.quotes(id);
  }

  @Get(':id/drifted-quotes')
  @ReadAccess()
  @ApiOperation({ summary: "Quotes from this source that could not be re-anchored when its text changed (PATCH …?allowDrift=true): to be reviewed, by editing or removing them." })
  @ApiOkResponse({ type: [SourceQuoteResponse] })
  @ApiProblems({ 404: 'No such source.' })
  driftedQuotes(@UuidParam('id') id: string): Promise<SourceQuoteResponse[]> {
    return this.sources.driftedQuotes(id);
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
