import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/* The TAXII 2.1 resources (OASIS TAXII 2.1, §4–5), as this server answers them. */

export class TaxiiDiscoveryResponse {
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'uri', description: 'The API root to use.' }) default!: string;
  @ApiProperty({ type: [String], format: 'uri' }) api_roots!: string[];
}

export class TaxiiApiRootResponse {
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String], example: ['application/taxii+json;version=2.1'] }) versions!: string[];
  @ApiProperty({ description: 'The largest request body accepted, in bytes (the server is read-only).' }) max_content_length!: number;
}

export class TaxiiCollectionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'A readable name: "all-claims", or "topic-" and the topic.' }) alias!: string;
  @ApiProperty() can_read!: boolean;
  @ApiProperty() can_write!: boolean;
  @ApiProperty({ type: [String], example: ['application/stix+json;version=2.1'] }) media_types!: string[];
}

export class TaxiiCollectionsResponse {
  @ApiProperty({ type: [TaxiiCollectionResponse] }) collections!: TaxiiCollectionResponse[];
}

export class TaxiiEnvelopeResponse {
  @ApiProperty({ description: 'Whether more objects match than this page holds.' }) more!: boolean;
  @ApiPropertyOptional({ description: 'Pass as `next`, with the same filters, for the next page.' }) next?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'STIX 2.1 objects, oldest `date_added` first.' })
  objects?: Record<string, unknown>[];
}

export class TaxiiManifestRecord {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) date_added!: string;
  @ApiProperty({ format: 'date-time', description: "The object's `modified`." }) version!: string;
  @ApiProperty({ example: 'application/stix+json;version=2.1' }) media_type!: string;
}

export class TaxiiManifestResponse {
  @ApiProperty() more!: boolean;
  @ApiPropertyOptional() next?: string;
  @ApiPropertyOptional({ type: [TaxiiManifestRecord] }) objects?: TaxiiManifestRecord[];
}

export class TaxiiVersionsResponse {
  @ApiProperty() more!: boolean;
  @ApiPropertyOptional() next?: string;
  @ApiPropertyOptional({ type: [String], description: 'The `modified` of each version, oldest first.' }) versions?: string[];
}

/** A TAXII error message (§3.6.1). */
export class TaxiiErrorResponse {
  @ApiProperty() title!: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ description: 'The HTTP status, as text.' }) http_status?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'For a refused parameter: each field and what was wrong.' })
  details?: Record<string, unknown>;
}
