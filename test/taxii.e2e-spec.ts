import fc from 'fast-check';
import pg from 'pg';
import { stixId } from '../src/reports/formats/stix.js';
import { SeedService } from '../src/seed/seed.service.js';
import { TaxiiPublisher } from '../src/taxii/taxii-publisher.service.js';
import { haveSchemas, schemaErrors, validator, type StixObject } from './support/stix-schemas.js';
import { fixtures } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TAXII = 'application/taxii+json;version=2.1';
type Envelope = { more: boolean; next?: string; objects?: StixObject[] };

describe('TAXII 2.1 server', () => {
  let t: TestApp;
  let base: string;
  let admin: Awaited<ReturnType<TestApp['signIn']>>;
  let analyst: Awaited<ReturnType<TestApp['signIn']>>;
  const keys: Record<string, string> = {};
  /** Publishes what is marked so far (the publisher also runs every 100 ms here). */
  const published = () => t.app.get(TaxiiPublisher).publish();

  beforeAll(async () => {
    t = await createTestApp({ TAXII_PUBLISH_MS: '100' });
    await t.app.get(SeedService).seedContent();
    [admin, analyst] = [await t.signIn('admin'), await t.signIn('analyst')];
    for (const scope of ['read_stix', 'read_all', 'read_confidence']) {
      keys[scope] = (await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: scope, scopes: [scope] }).expect(201)).body.key;
    }
    base = await t.listen();
    await published();
  }, 60_000);
  afterAll(() => t?.close());

  /** A TAXII client's request: HTTP Basic with the key as the password, TAXII's Accept header. */
  async function get(url: string, { key = keys.read_stix, accept = TAXII }: { key?: string; accept?: string } = {}) {
    const response = await fetch(new URL(url, base), { headers: { Authorization: `Basic ${Buffer.from(`client:${key}`).toString('base64')}`, Accept: accept } });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  /** Every object of a collection, page by page through `next`, as a client walks it. */
  async function walk(collectionUrl: string, filters: Record<string, string> = {}, limit = 50) {
    const objects: StixObject[] = [];
    let next: string | undefined;
    let pages = 0;
    let last: string | undefined;
    do {
      const query = new URLSearchParams({ ...filters, limit: String(limit), ...(next ? { next } : {}) });
      const page = await get(`${collectionUrl}objects/?${query}`);
      expect(page.status).toBe(200);
      const body = page.body as Envelope;
      objects.push(...(body.objects ?? []));
      if (body.objects?.length) {
        expect(body.objects.length).toBeLessThanOrEqual(limit);
        last = page.headers.get('x-taxii-date-added-last')!;
        expect(page.headers.get('x-taxii-date-added-first')! <= last).toBe(true);
      }
      next = body.more ? body.next : undefined;
      pages++;
    } while (next);
    return { objects, pages, last };
  }

  it('walks discovery → API root → collections → every object of the seed, page by page, each exactly once', async () => {
    const discovery = await get('/taxii2/');
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('content-type')).toBe(TAXII);
    expect(discovery.body.api_roots).toHaveLength(1);
    const root = discovery.body.default as string;
    expect(discovery.body.api_roots).toEqual([root]);
    const apiRoot = await get(root);
    expect(apiRoot.body.versions).toEqual([TAXII]);
    const { collections } = (await get(`${root}collections/`)).body as { collections: { id: string; alias: string; can_read: boolean; can_write: boolean; media_types: string[] }[] };
    const all = collections.find((c) => c.alias === 'all-claims')!;
    expect(all).toMatchObject({ can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] });
    expect(collections.map((c) => c.alias)).toContain('topic-arms');
    expect((await get(`${root}collections/${all.id}/`)).body).toEqual(all);

    const { objects, pages } = await walk(`${root}collections/${all.id}/`);
    expect(pages).toBeGreaterThan(3);
    const ids = objects.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The seed's quotes are not all ASCII: pages written as UTF-8 bytes parsed whole, with those characters.
    expect(objects.some((o) => /[^\x00-\x7f]/.test(JSON.stringify(o)))).toBe(true);
    // The same objects as the STIX export of the seed: every claim, evidence item, assessment version, source and author.
    const bundle = (await t.http.get('/reports/claims').query({ format: 'stix' }).set('Authorization', admin.auth).expect(200)).body as { objects: StixObject[] };
    expect([...ids].sort()).toEqual(bundle.objects.map((o) => o.id).sort());
    for (const claim of await t.prisma.claim.findMany({ select: { id: true } })) expect(ids).toContain(stixId('grouping', 'claim', claim.id));
    if (haveSchemas) expect(schemaErrors(validator(), objects)).toEqual([]);
    // References resolve in the collection, and each report cites every note of its source.
    const known = new Set(ids);
    for (const object of objects) for (const ref of (object.object_refs as string[] | undefined) ?? []) expect(known.has(ref)).toBe(true);
    const evidence = await t.prisma.evidence.findFirstOrThrow({ where: { archivedAt: null } });
    const report = objects.find((o) => o.id === stixId('report', 'source', evidence.sourceId))!;
    expect(report.object_refs).toContain(stixId('note', 'evidence', evidence.id));
  });

  it('answers the manifest, one object, and the filters by type and id', async () => {
    const all = `/taxii2/claimtrack/collections/${(await collectionId('all-claims'))}/`;
    const manifest = await get(`${all}manifest/?limit=1000`);
    const objects = (await get(`${all}objects/?limit=1000`)).body as Envelope;
    const records = manifest.body.objects as { id: string; version: string; date_added: string; media_type: string }[];
    expect(records.map((r) => r.id)).toEqual(objects.objects!.map((o) => o.id));
    expect(records.map((r) => r.version)).toEqual(objects.objects!.map((o) => o.modified));
    expect(new Set(records.map((r) => r.media_type))).toEqual(new Set(['application/stix+json;version=2.1']));

    const opinions = (await get(`${all}objects/?match[type]=opinion`)).body as Envelope;
    expect(opinions.objects!.length).toBe(await t.prisma.assessment.count());
    expect(new Set(opinions.objects!.map((o) => o.type))).toEqual(new Set(['opinion']));
    const two = objects.objects!.slice(0, 2).map((o) => o.id);
    expect(((await get(`${all}objects/?match[id]=${two.join(',')}`)).body as Envelope).objects!.map((o) => o.id)).toEqual(two);
    const one = await get(`${all}objects/${two[1]}/`);
    expect(one.body.objects).toEqual([objects.objects![1]]);
    expect((await get(`${all}objects/?match[spec_version]=2.0`)).body).toEqual({ more: false });
  });

  it('keeps each claim in its topic collection, the identities in every one', async () => {
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { topics: { has: 'arms' } } });
    const other = await t.prisma.claim.findFirstOrThrow({ where: { NOT: { topics: { has: 'arms' } } } });
    const { objects } = await walk(`/taxii2/claimtrack/collections/${await collectionId('topic-arms')}/`, {}, 1000);
    const ids = new Set(objects.map((o) => o.id));
    expect(ids.has(stixId('grouping', 'claim', claim.id))).toBe(true);
    expect(ids.has(stixId('grouping', 'claim', other.id))).toBe(false);
    expect(objects.some((o) => o.type === 'identity')).toBe(true);
    for (const o of objects.filter((o) => o.type === 'grouping')) expect(o.labels).toContain('arms');
  });

  it('publishes a revision as a new version of the same object: versions oldest first, the newest by default, the first on request', async () => {
    const all = `/taxii2/claimtrack/collections/${await collectionId('all-claims')}/`;
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { archivedAt: null } });
    const grouping = stixId('grouping', 'claim', claim.id);
    const first = await get(`${all}objects/${grouping}/`);
    const before = first.body.objects[0] as StixObject;
    // Unchanged, the page is the same (304 for its ETag); a new version changes it.
    const etag = first.headers.get('etag')!;
    expect((await t.http.get(`${all}objects/${grouping}/`).set('Authorization', `Bearer ${keys.read_stix}`).set('Accept', TAXII).set('If-None-Match', etag)).status).toBe(304);
    const earlier = (await get(`${all}objects/${grouping}/versions/`)).body.versions as string[];
    expect(earlier.at(-1)).toBe(before.modified);
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', analyst.auth).send({ statement: `${claim.statement} (restated)` }).expect(200);
    await published();
    const versions = (await get(`${all}objects/${grouping}/versions/`)).body.versions as string[];
    expect(versions.slice(0, -1)).toEqual(earlier);
    expect(Date.parse(versions.at(-1)!)).toBeGreaterThan(Date.parse(before.modified!));
    const revised = await get(`${all}objects/${grouping}/`);
    expect(revised.headers.get('etag')).not.toBe(etag);
    const latest = revised.body.objects as StixObject[];
    expect(latest).toEqual([expect.objectContaining({ id: grouping, name: `${claim.statement} (restated)`, modified: versions.at(-1), created: before.created })]);
    expect((await get(`${all}objects/${grouping}/?match[version]=first`)).body.objects[0].modified).toBe(versions[0]);
    expect((await get(`${all}objects/${grouping}/?match[version]=${versions.at(-2)}`)).body.objects).toEqual([before]);
    expect((await get(`${all}objects/?match[id]=${grouping}&match[version]=all`)).body.objects.map((o: StixObject) => o.modified)).toEqual(versions);
    // New evidence: its note, and its source's report citing it, and the claim's grouping referring to both.
    const make = fixtures(t, analyst.auth);
    const source = await make.source();
    const item = await make.evidence(claim.id, source.id);
    await published();
    const note = stixId('note', 'evidence', item.id);
    const report = (await get(`${all}objects/${stixId('report', 'source', source.id)}/`)).body.objects[0] as StixObject;
    expect(report.object_refs).toEqual([note]);
    expect((await get(`${all}objects/${note}/`)).body.objects[0]).toMatchObject({ content: item.quote, object_refs: [grouping, report.id] });
    expect((await get(`${all}objects/${grouping}/`)).body.objects[0].object_refs).toEqual(expect.arrayContaining([note, report.id]));
    // Rendering the claim again with nothing changed publishes nothing.
    await t.prisma.$executeRaw`UPDATE claims SET status = status WHERE id = ${claim.id}::uuid`;
    expect(await published()).toBe(0);
  });

  it("keeps a page's ETag while versions are published after it, and changes it when a version in it is replaced", async () => {
    const all = `/taxii2/claimtrack/collections/${await collectionId('all-claims')}/`;
    const firstPage = `${all}objects/?match[type]=grouping&limit=3`;
    const revalidated = async (etag: string) =>
      (await t.http.get(firstPage).set('Authorization', `Bearer ${keys.read_stix}`).set('Accept', TAXII).set('If-None-Match', etag)).status;
    const restate = async (grouping: string) => {
      const claim = (await t.prisma.claim.findMany({ select: { id: true, statement: true } })).find((c) => stixId('grouping', 'claim', c.id) === grouping)!;
      await t.http.patch(`/claims/${claim.id}`).set('Authorization', analyst.auth).send({ statement: `${claim.statement} (again)` }).expect(200);
      await published();
    };
    const before = await get(firstPage);
    const ids = (before.body.objects as StixObject[]).map((o) => o.id);
    expect(before.body.more).toBe(true);
    const etag = before.headers.get('etag')!;

    // A claim after the page: the page is what it was.
    const { objects: groupings } = await walk(all, { 'match[type]': 'grouping' }, 1000);
    await restate(groupings.at(-1)!.id);
    expect(await revalidated(etag)).toBe(304);

    // The middle one: it leaves the page (its new version is the newest of all), the next one comes in.
    await restate(ids[1]);
    const after = await get(firstPage);
    expect((after.body.objects as StixObject[]).map((o) => o.id)).toEqual([ids[0], ids[2], groupings[3].id]);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await revalidated(etag)).toBe(200);
    expect(await revalidated(after.headers.get('etag')!)).toBe(304);
  });

  it('never misses a version under concurrent writes, one committing long after others published', async () => {
    const all = `/taxii2/claimtrack/collections/${await collectionId('all-claims')}/`;
    const start = (await get(`${all}objects/?limit=1000`)).body as Envelope;
    expect(start.more).toBe(false);
    let after = (await get(`${all}manifest/?limit=1000`)).headers.get('x-taxii-date-added-last')!;
    const seen: string[] = [];
    let polling = true;
    /** A client polling with added_after (and next within a poll), as TAXII clients keep up. */
    const poller = (async () => {
      while (polling) {
        const { objects, last } = await walk(all, { added_after: after }, 20);
        seen.push(...objects.map((o) => `${o.id} ${o.modified}`));
        if (last) after = last;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    // A transaction that restates a claim and stays open while others commit and are published.
    const late = new pg.Client({ connectionString: t.databaseUrl });
    await late.connect();
    const lateClaim = await t.prisma.claim.findFirstOrThrow({ where: { archivedAt: null }, orderBy: { createdAt: 'desc' } });
    await late.query('BEGIN');
    await late.query(`UPDATE claims SET statement = statement || ' (late)' WHERE id = $1`, [lateClaim.id]);

    const claims = await t.prisma.claim.findMany({ where: { archivedAt: null, resolvedAt: null, id: { not: lateClaim.id } }, select: { id: true, currentVersion: true }, take: 10 });
    const writes = await Promise.all(claims.map(async (claim, i) => {
      const ids: string[] = [];
      let version = claim.currentVersion;
      for (let n = 0; n < 3; n++) {
        const res = await t.http.post(`/claims/${claim.id}/assessments`).set('Authorization', analyst.auth)
          .send({ probability: 0.1 + 0.02 * (i + n), confidence: 'moderate', rationale: `Concurrent revision ${n}.`, baseVersion: version }).expect(201);
        version = res.body.version;
        ids.push(res.body.id);
      }
      return ids;
    }));
    // Published and polled past, while the restatement is still uncommitted.
    await published();
    await waitFor(() => writes.flat().every((id) => seen.some((s) => s.startsWith(stixId('opinion', 'assessment', id)))));
    await late.query('COMMIT');
    await late.end();
    const restated = stixId('grouping', 'claim', lateClaim.id);
    await waitFor(() => seen.some((s) => s.startsWith(restated) && !s.endsWith(startVersion(start, restated))));
    polling = false;
    await poller;

    expect(new Set(seen).size).toBe(seen.length);
    const latest = (await get(`${all}objects/${restated}/`)).body.objects[0] as StixObject;
    expect(latest.name).toMatch(/ \(late\)$/);
  }, 60_000);

  it('admits read_stix and read_all keys, users, and HTTP Basic; refuses others with TAXII errors that say nothing of the collections', async () => {
    const collection = `/taxii2/claimtrack/collections/${await collectionId('all-claims')}/`;
    const unknown = '/taxii2/claimtrack/collections/00000000-0000-5000-8000-000000000000/';
    expect((await get(collection, { key: keys.read_all })).status).toBe(200);
    expect((await t.http.get(collection).set('Authorization', `Bearer ${keys.read_stix}`).set('Accept', TAXII)).status).toBe(200);
    expect((await t.http.get(collection).set('Authorization', analyst.auth).set('Accept', TAXII)).status).toBe(200);

    const anonymous = await fetch(new URL(collection, base), { headers: { Accept: TAXII } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(anonymous.headers.get('content-type')).toBe(TAXII);
    expect(await anonymous.json()).toMatchObject({ title: 'Unauthorized', http_status: '401' });
    expect((await get(collection, { key: 'ct_wrong.key' })).status).toBe(401);

    const [known, unknownOne] = [await get(collection, { key: keys.read_confidence }), await get(unknown, { key: keys.read_confidence })];
    expect([known.status, unknownOne.status]).toEqual([403, 403]);
    expect(known.body).toEqual(unknownOne.body);
    expect(known.body).toMatchObject({ title: 'Forbidden', http_status: '403' });
    expect((await get('/taxii2/claimtrack/collections/', { key: keys.read_confidence })).status).toBe(403);
  });

  it('refuses bad requests with TAXII errors: 406 for the wrong Accept, 400 for malformed filters and limits, 404 for unknown collections and objects', async () => {
    const collection = `/taxii2/claimtrack/collections/${await collectionId('all-claims')}/`;
    for (const accept of ['application/json', 'application/taxii+json;version=2.0', 'text/html']) {
      const refused = await get(collection, { accept });
      expect(refused.status).toBe(406);
      expect(refused.body).toMatchObject({ title: 'Not Acceptable', http_status: '406' });
    }
    expect((await get(collection, { accept: 'application/taxii+json' })).status).toBe(200);
    for (const query of ['added_after=yesterday', 'added_after=2026-11-27T10:00:00+01:00', 'limit=1001', 'limit=0', 'next=bm9wZQ', 'match[version]=newest', 'match[id]=grouping']) {
      const refused = await get(`${collection}objects/?${query}`);
      expect({ query, status: refused.status, http_status: refused.body.http_status }).toEqual({ query, status: 400, http_status: '400' });
      expect(refused.headers.get('content-type')).toBe(TAXII);
    }
    const badDate = await get(`${collection}objects/?added_after=yesterday`);
    expect(badDate.body.details.added_after[0]).toContain('RFC 3339');
    for (const url of ['/taxii2/claimtrack/collections/00000000-0000-5000-8000-000000000000/objects/', `${collection}objects/note--00000000-0000-5000-8000-000000000000/`,
      `${collection}objects/note--00000000-0000-5000-8000-000000000000/versions/`]) {
      expect((await get(url)).body).toMatchObject({ http_status: '404' });
    }
    // Nothing after the newest: an empty envelope, and no date headers.
    const future = await get(`${collection}objects/?added_after=2999-01-01T00:00:00Z`);
    expect(future.body).toEqual({ more: false });
    expect(future.headers.get('x-taxii-date-added-first')).toBeNull();
  });

  it('answers hostile filters and ids with a TAXII error or a page, never a 500', async () => {
    const collection = `/taxii2/claimtrack/collections/${await collectionId('all-claims')}/`;
    const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', ',', '2026-11-27T10:00:00Z', '-1', '1e3', "' OR 1=1 --", '\u0000', 'last,first', 'grouping--x'));
    const params = ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]', 'other'];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...params), value, { maxKeys: 4 }), fc.constantFrom('objects/', 'manifest/', 'objects/x/', 'objects/x/versions/'), async (query, path) => {
        const res = await t.http.get(collection + path).query(query).set('Authorization', `Bearer ${keys.read_stix}`).set('Accept', TAXII);
        expect([200, 400, 404]).toContain(res.status);
        expect(res.headers['content-type']).toBe(TAXII);
        if (res.status >= 400) expect(JSON.parse(res.text)).toMatchObject({ http_status: String(res.status) });
      }),
      { numRuns: 150 },
    );
  });

  async function collectionId(alias: string): Promise<string> {
    const { collections } = (await get('/taxii2/claimtrack/collections/')).body as { collections: { id: string; alias: string }[] };
    return collections.find((c) => c.alias === alias)!.id;
  }
});

const startVersion = (envelope: Envelope, id: string) => (envelope.objects!.find((o) => o.id === id)!.modified as string);

async function waitFor(condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the TAXII poller');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
