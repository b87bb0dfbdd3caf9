import { Controller, Get, Headers, HttpCode, Post, Query, Res, Sse, type MessageEvent } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { AcceptsLinkToken, CurrentPrincipal, ReadAccess } from '../auth/access.decorators.js';
import { LINK_TOKEN_TTL_SECONDS } from '../auth/auth.constants.js';
import { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { AsOfParam } from '../common/query.js';
import { ValidationProblem } from '../common/problem.js';
import type { SerializedJson } from './confidence-answer.js';
import { ConfidenceService } from './confidence.service.js';
import { ChangeFeedService } from './change-feed.service.js';
import { ChangesQueryDto, ConfidenceQueryDto, StreamQueryDto } from './dto/confidence-query.dto.js';
import { FEED_CURSOR } from './feed-cursor.js';
import { LinkTokenResponse } from '../auth/dto/link-token.response.js';
import { ConfidenceChange, ConfidenceChanges, ConfidenceResponse } from './dto/confidence.response.js';

/** Clients revalidate every time; the ETag makes an unchanged answer a bodiless 304. */
function revalidate(reply: FastifyReply): void {
  reply.header('Cache-Control', 'private, no-cache').header('Vary', 'Authorization, X-API-Key');
}

/** Sends JSON serialized ahead, with its ETag (so it is not hashed again). */
function send(reply: FastifyReply, { json, etag }: SerializedJson): Buffer {
  revalidate(reply);
  reply.type('application/json; charset=utf-8').header('ETag', etag);
  return json;
}

@ApiTags('confidence')
@Controller()
export class ConfidenceController {
  constructor(
    private readonly confidence: ConfidenceService,
    private readonly feed: ChangeFeedService,
    private readonly auth: AuthService,
  ) {}

  @Get('claims/:id/confidence')
  @ReadAccess('read_confidence')
  @ApiOperation({ summary: 'Current confidence in one claim (or, with asOf, the one in force then). Strong ETag; If-None-Match answers 304.' })
  @ApiOkResponse({ type: ConfidenceResponse })
  @ApiQuery({ name: 'asOf', required: false, schema: { type: 'string', format: 'date-time' }, description: 'The confidence in force at this time (ISO 8601) instead of now.' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @AsOfParam() asOf: Date | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    return send(reply, await (asOf ? this.confidence.at(id, asOf, principal) : this.confidence.get(id, principal)));
  }

  @Get('confidence')
  @ReadAccess('read_confidence')
  @ApiOperation({ summary: 'Current confidence in many claims, most recently changed first. Strong ETag; If-None-Match answers 304.' })
  @ApiOkResponse({ type: pageSchema(ConfidenceResponse) })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ConfidenceQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return send(reply, await this.confidence.list(query, principal));
  }

  @Get('confidence/changes')
  @ReadAccess('read_confidence')
  @ApiOperation({
    summary: 'Assessment changes after a cursor, in a fixed order; a poller that always passes nextCursor never misses or repeats one.',
  })
  @ApiOkResponse({ type: ConfidenceChanges })
  changes(@Query() query: ChangesQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ConfidenceChanges> {
    revalidate(reply);
    const include = new Set(query.include?.split(','));
    return this.feed.changes(query.since, query.limit, { estimates: include.has('estimates'), evidence: include.has('evidence') });
  }

  @Post('confidence/stream-tokens')
  @ReadAccess('read_confidence')
  @HttpCode(201)
  @ApiOperation({
    summary: `A token that opens the confidence stream as the caller, valid ${LINK_TOKEN_TTL_SECONDS} s: for browsers, whose EventSource cannot send headers.`,
  })
  @ApiCreatedResponse({ type: LinkTokenResponse })
  async streamToken(@CurrentPrincipal() principal: Principal): Promise<LinkTokenResponse> {
    const token = await this.auth.linkToken(principal, 'confidence-stream');
    return { token, expiresIn: LINK_TOKEN_TTL_SECONDS, url: `/confidence/stream?token=${token}` };
  }

  @Sse('confidence/stream')
  @ReadAccess('read_confidence')
  @AcceptsLinkToken('confidence-stream')
  @ApiOperation({
    summary:
      'The same changes as a Server-Sent Events stream (event "confidence", id = cursor; reconnects resume from Last-Event-ID), new estimates as "estimate" events and new evidence weights as "evidence" events, ' +
      'with a "heartbeat" event every STREAM_HEARTBEAT_SECONDS so that proxies keep it open. claimIds, topic and entity narrow it to the claims a dashboard shows. Browsers authenticate with ?token= from POST /confidence/stream-tokens.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ type: ConfidenceChange, description: 'One event per change.' })
  stream(@Query() query: StreamQueryDto, @Headers('last-event-id') lastEventId: string | undefined): Observable<MessageEvent> {
    if (lastEventId !== undefined && !FEED_CURSOR.test(lastEventId)) {
      throw new ValidationProblem([{ field: 'Last-Event-ID', messages: ['Last-Event-ID must be a cursor from this feed'] }]);
    }
    return this.feed.stream(lastEventId ?? query.since, { claimIds: query.claimIds, topic: query.topic, entity: query.entity });
  }
}
