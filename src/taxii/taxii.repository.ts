import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '../config/app-config.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { defineQuery, isoText, queryRows } from '../database/query.js';

/** A timestamp to the microsecond, as TAXII writes `date_added` (and as `added_after` and `next` compare). */
const microText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** What the publisher is to render again: a claim, source or user, and the marks the triggers appended for it. */
export interface Pending {
  kind: 'claim' | 'source' | 'user';
  id: string;
  marks: string[];
}

/** A version to publish. */
export interface NewVersion {
  stixId: string;
  type: string;
  version: string;
  shared: boolean;
  topics: string[];
  first: boolean;
  contentHash: string;
  body: string;
}

/** Which versions a read wants (TAXII's filters), in one collection (`topic` null: every object). */
export interface VersionFilter {
  topic: string | null;
  /** Strictly after this `date_added` (RFC 3339 text, to the microsecond). */
  after: string | null;
  types: string[];
  ids: string[];
  /** match[version]: all, the newest, the oldest, and these `modified` times. */
  all: boolean;
  last: boolean;
  first: boolean;
  versions: string[];
  limit: number;
}

/** A version as a manifest lists it. */
export interface ManifestRow {
  stixId: string;
  version: string;
  dateAdded: string;
}

/** A version's text, for a page of objects. */
export interface ObjectRow {
  dateAdded: string;
  body: string;
}

/** One advisory lock, held by a publisher's connection for its run: one publisher at a time in the whole cluster. */
const LOCK = `SELECT pg_try_advisory_lock(hashtext('claimtrack.taxii.publisher')) AS locked`;
const UNLOCK = `SELECT pg_advisory_unlock(hashtext('claimtrack.taxii.publisher'))`;

/** What the committed marks name after ($1, $2), in key order, with the marks. */
const PENDING_AFTER = defineQuery<[kind: string, id: string, limit: number], Pending>(
  'taxii_pending_after',
  // id stays a uuid, so the rows come in the index's order (as text they were sorted: all pending marks, each batch; 1 s at 1.8 M).
  `SELECT kind, id, array_agg(seq::text) AS marks FROM taxii_pending WHERE (kind, id) > ($1::text, $2::uuid)
   GROUP BY kind, id ORDER BY kind, id LIMIT $3::int`,
  { kind: true, id: true, marks: true },
);

/** Removes the marks rendered: those appended since (by changes committed during the rendering, or still under way) stay for the next run. */
const DONE = defineQuery<[marks: string[]], { count: number }>(
  'taxii_pending_done',
  `WITH done AS (DELETE FROM taxii_pending WHERE seq = ANY($1::bigint[]) RETURNING 1) SELECT count(*)::int AS count FROM done`,
  { count: true },
);

const LIVE_CLAIMS = defineQuery<[ids: string[]], { id: string }>(
  'taxii_live_claims',
  `SELECT id::text AS id FROM claims WHERE id = ANY($1::uuid[]) AND archived_at IS NULL`,
  { id: true },
);

/**
 * Each source's notes (its evidence in force on live claims, oldest first) and the topics of the
 * live claims it bears on (by evidence or appearance): what its report cites and which collections hold it.
 */
const SOURCE_REACH = defineQuery<[sourceIds: string[]], { sourceId: string; evidenceIds: string[]; topics: string[] }>(
  'taxii_source_reach',
  `SELECT s.id::text AS "sourceId",
          coalesce((SELECT array_agg(e.id::text ORDER BY e.created_at, e.id) FROM evidence e JOIN claims c ON c.id = e.claim_id
                     WHERE e.source_id = s.id AND c.archived_at IS NULL AND e.archived_at IS NULL), '{}') AS "evidenceIds",
          coalesce((SELECT array_agg(DISTINCT topic ORDER BY topic) FROM claims c CROSS JOIN unnest(c.topics) topic
                     WHERE c.archived_at IS NULL AND c.id IN (SELECT claim_id FROM evidence WHERE source_id = s.id AND archived_at IS NULL
                                                              UNION SELECT claim_id FROM claim_appearances WHERE source_id = s.id)), '{}') AS topics
   FROM sources s WHERE s.id = ANY($1::uuid[])`,
  { sourceId: true, evidenceIds: true, topics: true },
);

const LATEST_VERSIONS = defineQuery<[stixIds: string[]], { stixId: string; version: string; contentHash: string }>(
  'taxii_latest_versions',
  `SELECT stix_id AS "stixId", ${isoText('version')} AS version, content_hash AS "contentHash" FROM taxii_objects WHERE latest AND stix_id = ANY($1::text[])`,
  { stixId: true, version: true, contentHash: true },
);

/**
 * New versions, after every version published before: `date_added` one microsecond apart from the
 * later of now and the newest (so it is unique, and grows in the order publications commit).
 */
const INSERT_VERSIONS = defineQuery<
  [stixIds: string[], types: string[], versions: string[], shared: boolean[], topics: string[], first: boolean[], hashes: string[], bodies: string[]],
  { count: number }
>(
  'taxii_insert_versions',
  `WITH retired AS (UPDATE taxii_objects SET latest = false WHERE latest AND stix_id = ANY($1::text[]) RETURNING 1),
        start AS (SELECT greatest(clock_timestamp(), (SELECT max(date_added) FROM taxii_objects) + interval '1 microsecond') AS at),
        inserted AS (
          INSERT INTO taxii_objects (stix_id, type, version, date_added, shared, topics, latest, first, content_hash, body)
          SELECT v.stix_id, v.type, v.version, start.at + (v.n - 1) * interval '1 microsecond', v.shared,
                 v.topics::text[], true, v.first, v.hash, v.body
          FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bool[], $5::text[], $6::bool[], $7::text[], $8::text[])
                 WITH ORDINALITY AS v(stix_id, type, version, shared, topics, first, hash, body, n)
          CROSS JOIN start
          RETURNING 1)
   SELECT (SELECT count(*) FROM inserted)::int AS count`,
  { count: true },
);

/** The versions a read wants, in publication order, one more than the page (to say whether there are more). */
const VERSION_WHERE = `($1::text IS NULL OR shared OR topics @> ARRAY[$1::text])
  AND date_added > coalesce($2::timestamptz, '-infinity')
  AND (cardinality($3::text[]) = 0 OR type = ANY($3::text[]))
  AND (cardinality($4::text[]) = 0 OR stix_id = ANY($4::text[]))
  AND ($5::bool OR ($6::bool AND latest) OR ($7::bool AND first) OR version = ANY($8::timestamptz[]))`;
type VersionParams = [topic: string | null, after: string | null, types: string[], ids: string[], all: boolean, last: boolean, first: boolean, versions: string[], limit: number];

/**
 * Only what a page of objects sends: their texts, and `date_added` for its bounds and `next`. Each
 * column more is text PostgreSQL writes and the service reads for every row: the version's timestamp
 * alone was a seventh of PostgreSQL's time per page. Exported for the benchmark's baseline, which
 * runs the very query.
 */
export const OBJECTS_PAGE = defineQuery<VersionParams, ObjectRow>(
  'taxii_objects_page',
  `SELECT ${microText('date_added')} AS "dateAdded", body FROM taxii_objects WHERE ${VERSION_WHERE} ORDER BY date_added LIMIT $9::int + 1`,
  { dateAdded: true, body: true },
);

const MANIFEST = defineQuery<VersionParams, ManifestRow>(
  'taxii_manifest_page',
  `SELECT stix_id AS "stixId", ${isoText('version')} AS version, ${microText('date_added')} AS "dateAdded"
   FROM taxii_objects WHERE ${VERSION_WHERE} ORDER BY date_added LIMIT $9::int + 1`,
  { stixId: true, version: true, dateAdded: true },
);

const HOLDS = defineQuery<[topic: string | null, stixId: string], { held: boolean }>(
  'taxii_collection_holds',
  `SELECT EXISTS (SELECT 1 FROM taxii_objects WHERE stix_id = $2::text AND ($1::text IS NULL OR shared OR topics @> ARRAY[$1::text])) AS held`,
  { held: true },
);

const TOPICS = defineQuery<[], { topic: string }>(
  'taxii_topics',
  `SELECT DISTINCT topic FROM claims CROSS JOIN unnest(topics) topic WHERE archived_at IS NULL ORDER BY topic`,
  { topic: true },
);

/** A publisher's run, under the publisher lock: it alone writes published versions. */
export interface PublisherRun {
  pendingAfter(after: Pending | undefined, limit: number): Promise<Pending[]>;
  latestVersions(stixIds: string[]): Promise<Map<string, { version: string; contentHash: string }>>;
  /** Stores the versions and removes the marks they were rendered for, in one short transaction; how many versions. */
  publish(versions: NewVersion[], rendered: Pending[]): Promise<number>;
}

@Injectable()
export class TaxiiRepository implements OnApplicationShutdown {
  /**
   * The publisher's own connection, outside the shared pool: it holds the lock for a whole run,
   * while the rendering reads from the pool (a pool of one would otherwise wait on itself).
   */
  private readonly publisherConnection: pg.Pool;

  constructor(
    private readonly prisma: PrismaService,
    config: AppConfig,
  ) {
    this.publisherConnection = new pg.Pool({ connectionString: config.databaseUrl, max: 1, idleTimeoutMillis: 60_000 });
    this.publisherConnection.on('error', () => undefined);
  }

  /** After the publisher's last run (it stops before application shutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.publisherConnection.end();
  }

  /**
   * Runs `work` holding the publisher lock; undefined, without running it, when another publisher
   * holds the lock. No writer ever waits for it (marks are only appended). What a batch publishes
   * and the marks it removes commit together, so a publisher that dies leaves its marks for the next.
   */
  async publisher<T>(work: (run: PublisherRun) => Promise<T>): Promise<T | undefined> {
    const client = await this.publisherConnection.connect();
    let failed: Error | undefined;
    try {
      const { rows } = await client.query<{ locked: boolean }>(LOCK);
      if (!rows[0].locked) return undefined;
      try {
        return await work({
          pendingAfter: (after, limit) => queryRows(client, PENDING_AFTER, [after?.kind ?? '', after?.id ?? '00000000-0000-0000-0000-000000000000', limit]),
          latestVersions: async (stixIds) =>
            new Map((await queryRows(client, LATEST_VERSIONS, [stixIds])).map(({ stixId, ...latest }) => [stixId, latest])),
          publish: async (versions, rendered) => {
            await client.query('BEGIN');
            try {
              const [{ count }] = await queryRows(client, INSERT_VERSIONS, [
                versions.map((v) => v.stixId), versions.map((v) => v.type), versions.map((v) => v.version), versions.map((v) => v.shared),
                versions.map((v) => arrayLiteral(v.topics)), versions.map((v) => v.first), versions.map((v) => v.contentHash), versions.map((v) => v.body),
              ]);
              await queryRows(client, DONE, [rendered.flatMap((p) => p.marks)]);
              await client.query('COMMIT');
              return count;
            } catch (error) {
              await client.query('ROLLBACK').catch(() => undefined);
              throw error;
            }
          },
        });
      } finally {
        await client.query(UNLOCK);
      }
    } catch (error) {
      failed = error as Error;
      throw error;
    } finally {
      // A connection that failed is closed, not pooled (it may still hold the lock or a transaction).
      client.release(failed);
    }
  }

  async liveClaims(ids: string[]): Promise<string[]> {
    return (await queryRows(this.prisma.pool, LIVE_CLAIMS, [ids])).map((row) => row.id);
  }

  sourceReach(sourceIds: string[]): Promise<{ sourceId: string; evidenceIds: string[]; topics: string[] }[]> {
    return queryRows(this.prisma.pool, SOURCE_REACH, [sourceIds]);
  }

  objects(filter: VersionFilter): Promise<ObjectRow[]> {
    return queryRows(this.prisma.pool, OBJECTS_PAGE, versionParams(filter));
  }

  manifest(filter: VersionFilter): Promise<ManifestRow[]> {
    return queryRows(this.prisma.pool, MANIFEST, versionParams(filter));
  }

  /** Whether any version of the object is in the collection. */
  async holds(topic: string | null, stixId: string): Promise<boolean> {
    return (await queryRows(this.prisma.pool, HOLDS, [topic, stixId]))[0].held;
  }

  async topics(): Promise<string[]> {
    return (await queryRows(this.prisma.pool, TOPICS, [])).map((row) => row.topic);
  }
}

/** A text[] literal (each element quoted): a row's topics travel as one element of a text array. */
const arrayLiteral = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

const versionParams = (f: VersionFilter): VersionParams => [f.topic, f.after, f.types, f.ids, f.all, f.last, f.first, f.versions, f.limit];
