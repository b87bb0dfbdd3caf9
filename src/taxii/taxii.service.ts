import { Injectable, NotFoundException } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { hash } from 'node:crypto';
import { ValidationProblem } from '../common/problem.js';
import { uuidV5 } from '../reports/formats/stix.js';
import { REPORT_FORMATS } from '../vocabulary/report-formats.js';
import { TAXII_TIMESTAMP, type TaxiiObjectsQueryDto } from './dto/taxii-query.dto.js';
import type { TaxiiApiRootResponse, TaxiiCollectionResponse, TaxiiDiscoveryResponse } from './dto/taxii.response.js';
import { TaxiiRepository, type VersionFilter } from './taxii.repository.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = REPORT_FORMATS.stix.contentType;
/** The one API root's path segment: /taxii2/claimtrack/. */
export const TAXII_API_ROOT = 'claimtrack';

/** A page as sent: its JSON as UTF-8, the first and last `date_added` in it (for the X-TAXII-Date-Added-* headers), and its ETag. */
export interface TaxiiPage {
  body: Buffer;
  first?: string;
  last?: string;
  etag?: string;
}

/** A collection: every claim's objects, or one topic's (and the identities, in every collection). */
interface Collection {
  info: TaxiiCollectionResponse;
  topic: string | null;
}

const collection = (topic: string | null): Collection => ({
  topic,
  info: {
    id: uuidV5(topic === null ? 'taxii-collection:all' : `taxii-collection:topic:${topic}`),
    title: topic === null ? 'All claims' : `Claims on ${topic}`,
    description:
      topic === null
        ? 'Every claim as a STIX grouping, with its evidence (notes), assessment versions (opinions and notes), sources (reports) and analysts (identities).'
        : `The claims with the topic "${topic}", with their evidence, assessment versions and sources, and the analysts.`,
    alias: topic === null ? 'all-claims' : `topic-${topic}`,
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  },
});
const ALL_CLAIMS = collection(null);

/** `next` is opaque to clients: the `date_added` the page ended at. */
const encodeNext = (dateAdded: string) => Buffer.from(dateAdded).toString('base64url');
function decodeNext(next: string): string {
  const dateAdded = Buffer.from(next, 'base64url').toString();
  if (!TAXII_TIMESTAMP.test(dateAdded)) throw new ValidationProblem([{ field: 'next', messages: ['next must be a value this server gave in an earlier page'] }]);
  return dateAdded;
}

/** The read-only TAXII 2.1 server's resources, from the versions the publisher stored. */
@Injectable()
export class TaxiiService {
  /** The topics there are, for a few seconds: each page looks up its collection. */
  private readonly topics = new LRUCache<'topics', string[]>({ max: 1, ttl: 5_000 });

  constructor(private readonly repository: TaxiiRepository) {}

  discovery(base: string): TaxiiDiscoveryResponse {
    const root = `${base}/taxii2/${TAXII_API_ROOT}/`;
    return {
      title: 'Claimtrack',
      description: 'Claims, their evidence, sources and assessments as STIX 2.1 (read-only; see the README, "STIX 2.1 and TAXII").',
      default: root,
      api_roots: [root],
    };
  }

  apiRoot(): TaxiiApiRootResponse {
    return {
      title: 'Claimtrack claims',
      description: 'Every claim, and the claims of each topic, as STIX 2.1 collections.',
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: 0,
    };
  }

  async collections(): Promise<TaxiiCollectionResponse[]> {
    return (await this.all()).map((c) => c.info);
  }

  async collection(id: string): Promise<TaxiiCollectionResponse> {
    return (await this.find(id)).info;
  }

  async objects(collectionId: string, query: TaxiiObjectsQueryDto): Promise<TaxiiPage> {
    const filter = this.filter((await this.find(collectionId)).topic, query);
    if (!filter) return emptyEnvelope();
    const rows = await this.repository.objects(filter);
    return envelope(rows, filter.limit, 'objects', (row) => row.body);
  }

  /** One object's versions (by default its newest), as the objects endpoint answers them. */
  async object(collectionId: string, objectId: string, query: TaxiiObjectsQueryDto): Promise<TaxiiPage> {
    const filter = await this.objectFilter(collectionId, objectId, query);
    if (!filter) return emptyEnvelope();
    const rows = await this.repository.objects(filter);
    return envelope(rows, filter.limit, 'objects', (row) => row.body);
  }

  /** Each version of one object, oldest first. */
  async versions(collectionId: string, objectId: string, query: TaxiiObjectsQueryDto): Promise<TaxiiPage> {
    const filter = await this.objectFilter(collectionId, objectId, { ...query, 'match[version]': ['all'] });
    if (!filter) return emptyEnvelope();
    const rows = await this.repository.manifest(filter);
    return envelope(rows, filter.limit, 'versions', (row) => JSON.stringify(row.version));
  }

  async manifest(collectionId: string, query: TaxiiObjectsQueryDto): Promise<TaxiiPage> {
    const filter = this.filter((await this.find(collectionId)).topic, query);
    if (!filter) return emptyEnvelope();
    const rows = await this.repository.manifest(filter);
    return envelope(rows, filter.limit, 'objects', (row) =>
      JSON.stringify({ id: row.stixId, date_added: row.dateAdded, version: row.version, media_type: STIX_MEDIA_TYPE }),
    );
  }

  private async objectFilter(collectionId: string, objectId: string, query: TaxiiObjectsQueryDto): Promise<VersionFilter | undefined> {
    const { topic } = await this.find(collectionId);
    if (!(await this.repository.holds(topic, objectId))) throw new NotFoundException(`The collection holds no object ${objectId}.`);
    return this.filter(topic, { ...query, 'match[id]': [objectId], 'match[type]': undefined });
  }

  /** The query as the repository's filter; undefined when nothing can match (every object here is STIX 2.1). */
  private filter(topic: string | null, query: TaxiiObjectsQueryDto): VersionFilter | undefined {
    if (query['match[spec_version]'] && !query['match[spec_version]'].includes('2.1')) return undefined;
    const versions = query['match[version]'] ?? ['last'];
    return {
      topic,
      // `next` is where the previous page (of the same filters, so after added_after) ended.
      after: query.next !== undefined ? decodeNext(query.next) : (query.added_after ?? null),
      types: query['match[type]'] ?? [],
      ids: query['match[id]'] ?? [],
      all: versions.includes('all'),
      last: versions.includes('last'),
      first: versions.includes('first'),
      versions: versions.filter((v) => TAXII_TIMESTAMP.test(v)),
      limit: query.limit,
    };
  }

  private async all(): Promise<Collection[]> {
    let topics = this.topics.get('topics');
    if (!topics) this.topics.set('topics', (topics = await this.repository.topics()));
    return [ALL_CLAIMS, ...topics.map(collection)];
  }

  private async find(id: string): Promise<Collection> {
    if (id === ALL_CLAIMS.info.id) return ALL_CLAIMS;
    const found = (await this.all()).find((c) => c.info.id === id);
    if (!found) throw new NotFoundException(`There is no collection ${id}.`);
    return found;
  }
}

const emptyEnvelope = (): TaxiiPage => ({ body: Buffer.from('{"more":false}') });

/**
 * A page of `rows` (one more than `limit` fetched, to know whether there are more) as a TAXII envelope of `key`,
 * each row's JSON written by `item`.
 * Its ETag names the page's bounds rather than hashing its text (a tenth of a 0.7 MB page's time): a
 * published version never changes and versions are only added, each after every other, so a page of
 * one URL can only change by losing a version (its count or last `date_added` changes, or whether
 * there are more) or by gaining one at its end (its last `date_added` changes).
 */
function envelope<Row extends { dateAdded: string }>(rows: Row[], limit: number, key: string, item: (row: Row) => string): TaxiiPage {
  if (rows.length === 0) return emptyEnvelope();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const [first, last] = [page[0].dateAdded, page.at(-1)!.dateAdded];
  return {
    body: utf8Json(`{"more":${more}${more ? `,"next":"${encodeNext(last)}"` : ''},"${key}":[`, page.map(item), ']}'),
    first,
    last,
    etag: `"${hash('sha1', `${key} ${more} ${page.length} ${first} ${last}`, 'base64url')}"`,
  };
}

/**
 * `head`, the `items` separated by commas, and `tail`, as UTF-8 written straight into one Buffer:
 * joining a page's thousand texts into one string and then encoding it took twice as long.
 */
function utf8Json(head: string, items: string[], tail: string): Buffer {
  let size = Buffer.byteLength(head) + Math.max(items.length - 1, 0) + Buffer.byteLength(tail);
  for (const text of items) size += Buffer.byteLength(text);
  const bytes = Buffer.allocUnsafe(size);
  let at = bytes.write(head);
  items.forEach((text, i) => {
    if (i > 0) at += bytes.write(',', at);
    at += bytes.write(text, at);
  });
  bytes.write(tail, at);
  return bytes;
}
