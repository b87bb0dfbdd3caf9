import { applyDecorators, Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiExtraModels, ApiNotAcceptableResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiSecurity, ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadAccess } from '../auth/access.decorators.js';
import { BASIC_SCHEME } from '../auth/auth.constants.js';
import { AppConfig } from '../config/app-config.service.js';
import { TaxiiObjectQueryDto, TaxiiObjectsQueryDto, TaxiiVersionsQueryDto } from './dto/taxii-query.dto.js';
import {
  TaxiiApiRootResponse, TaxiiCollectionResponse, TaxiiCollectionsResponse, TaxiiDiscoveryResponse, TaxiiEnvelopeResponse, TaxiiErrorResponse,
  TaxiiManifestResponse, TaxiiVersionsResponse,
} from './dto/taxii.response.js';
import { TaxiiAcceptGuard, TaxiiErrorFilter } from './taxii-protocol.js';
import { taxiiReply } from './taxii-protocol.js';
import { TAXII_API_ROOT, TAXII_MEDIA_TYPE, TaxiiService, type TaxiiPage } from './taxii.service.js';

const ROOT = `taxii2/${TAXII_API_ROOT}`;
const COLLECTION = `${ROOT}/collections/:collectionId`;
const OBJECT = `${COLLECTION}/objects/:objectId`;

/** What every TAXII endpoint shares: its media type, its errors, and the keys it admits (read_stix or read_all). */
const TaxiiEndpoint = (summary: string, type: Function, { paged = false, found = false } = {}) =>
  applyDecorators(
    ReadAccess('read_stix'),
    ApiSecurity(BASIC_SCHEME),
    ApiOperation({ summary }),
    ApiProduces(TAXII_MEDIA_TYPE),
    ApiOkResponse({ type }),
    ApiNotAcceptableResponse({ type: TaxiiErrorResponse, description: `The request does not accept ${TAXII_MEDIA_TYPE}.` }),
    ...(paged ? [ApiBadRequestResponse({ type: TaxiiErrorResponse, description: 'A malformed filter, `next` or `limit` (at most 1000).' })] : []),
    ...(found ? [ApiNotFoundResponse({ type: TaxiiErrorResponse, description: 'No such collection (or object in it).' })] : []),
  );

/**
 * A read-only TAXII 2.1 server (OASIS TAXII 2.1): discovery, one API root, a collection of
 * every claim and one per topic, and their objects, manifests and versions, from the
 * versions the publisher stored. Errors are TAXII error messages.
 */
@ApiTags('taxii')
@ApiExtraModels(TaxiiErrorResponse)
@Controller()
@UseGuards(TaxiiAcceptGuard)
@UseFilters(TaxiiErrorFilter)
export class TaxiiController {
  constructor(
    private readonly taxii: TaxiiService,
    private readonly config: AppConfig,
  ) {}

  @Get('taxii2/')
  @TaxiiEndpoint('TAXII discovery: the API root of this server.', TaxiiDiscoveryResponse)
  discovery(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return taxiiReply(reply, this.taxii.discovery(this.config.publicBaseUrl ?? `${request.protocol}://${request.host}`));
  }

  @Get(`${ROOT}/`)
  @TaxiiEndpoint('The API root: its title and the TAXII version it speaks.', TaxiiApiRootResponse)
  apiRoot(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return taxiiReply(reply, this.taxii.apiRoot());
  }

  @Get(`${ROOT}/collections/`)
  @TaxiiEndpoint('The collections: all claims, and the claims of each topic.', TaxiiCollectionsResponse)
  async collections(@Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return taxiiReply(reply, { collections: await this.taxii.collections() } satisfies TaxiiCollectionsResponse);
  }

  @Get(`${COLLECTION}/`)
  @TaxiiEndpoint('One collection.', TaxiiCollectionResponse, { found: true })
  @ApiParam({ name: 'collectionId', format: 'uuid' })
  async collection(@Param('collectionId') collectionId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return taxiiReply(reply, await this.taxii.collection(collectionId));
  }

  @Get(`${COLLECTION}/objects/`)
  @TaxiiEndpoint(
    "The collection's objects (each one's newest version unless match[version] says otherwise), oldest date_added first, in pages: " +
      'pass `next` with the same filters for the next, or the X-TAXII-Date-Added-Last header as `added_after` to poll for what was added since.',
    TaxiiEnvelopeResponse,
    { paged: true, found: true },
  )
  async objects(@Param('collectionId') collectionId: string, @Query() query: TaxiiObjectsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return taxiiPage(reply, await this.taxii.objects(collectionId, query));
  }

  @Get(`${COLLECTION}/manifest/`)
  @TaxiiEndpoint("The collection's manifest: each version's id, date_added, version and media type, with the objects endpoint's filters.", TaxiiManifestResponse, {
    paged: true,
    found: true,
  })
  async manifest(@Param('collectionId') collectionId: string, @Query() query: TaxiiObjectsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    return taxiiPage(reply, await this.taxii.manifest(collectionId, query));
  }

  @Get(`${OBJECT}/`)
  @TaxiiEndpoint('One object (its newest version unless match[version] says otherwise).', TaxiiEnvelopeResponse, { paged: true, found: true })
  async object(
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Query() query: TaxiiObjectQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    return taxiiPage(reply, await this.taxii.object(collectionId, objectId, query));
  }

  @Get(`${OBJECT}/versions/`)
  @TaxiiEndpoint("One object's versions (their `modified`), oldest first.", TaxiiVersionsResponse, { paged: true, found: true })
  async versions(
    @Param('collectionId') collectionId: string,
    @Param('objectId') objectId: string,
    @Query() query: TaxiiVersionsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    return taxiiPage(reply, await this.taxii.versions(collectionId, objectId, query));
  }
}

/** A page as JSON text, with the first and last `date_added` in it as TAXII's headers. */
function taxiiPage(reply: FastifyReply, page: TaxiiPage): Buffer {
  if (page.first) void reply.header('X-TAXII-Date-Added-First', page.first).header('X-TAXII-Date-Added-Last', page.last).header('ETag', page.etag);
  return taxiiReply(reply, page.body);
}
