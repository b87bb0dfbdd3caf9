import { validate as isUuid, v5 as uuidv5, version as uuidVersion } from 'uuid';
import { likelihoodLabel, STIX_NAMESPACE, stixConfidence, stixId, stixOpinion, uuidV5 } from '../src/reports/formats/stix.js';
import { SeedService } from '../src/seed/seed.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { BASE, haveSchemas, schemaErrors, validator, type StixObject } from './support/stix-schemas.js';

/** Every identifier an object refers to (its *_ref and *_refs properties). */
const refsOf = (object: StixObject) =>
  Object.entries(object).flatMap(([key, value]) => (key.endsWith('_ref') ? [value as string] : key.endsWith('_refs') ? (value as string[]) : []));

describe('STIX 2.1 mapping rules', () => {
  it('derives identifiers as the uuid package\'s v5 does', () => {
    for (const name of ['claim:6dd164d5-bb7d-4f49-9c43-bf73de779492', 'source:Коммерсантъ 中国日报', 'export:{"asOf":null}', '']) {
      expect(uuidV5(name)).toBe(uuidv5(name, STIX_NAMESPACE));
    }
  });

  it('labels ICD 203 terms as MISP machine tags, and keeps 0.92 "very likely" (the DNI scale would not)', () => {
    expect(likelihoodLabel(0.92)).toBe('estimative-language:likelihood-probability="very-likely"');
    expect(likelihoodLabel(0.5)).toBe('estimative-language:likelihood-probability="roughly-even-chance"');
    expect(likelihoodLabel(0.8)).toBe('estimative-language:likelihood-probability="likely"');
  });
  it('maps Admiralty credibility to STIX confidence as the specification\'s appendix does (6: none)', () => {
    expect([1, 2, 3, 4, 5, 6].map(stixConfidence)).toEqual([90, 70, 50, 30, 10, undefined]);
  });
  it('buckets probabilities into the five opinion values by ICD 203 band', () => {
    expect([0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99].map(stixOpinion)).toEqual([
      'strongly-disagree', 'strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree', 'strongly-agree',
    ]);
  });
});

(haveSchemas ? describe : describe.skip)('STIX 2.1 export of the seed, validated against the OASIS schemas', () => {
  let t: TestApp;
  let auth: string;
  let bundle: { type: string; id: string; objects: StixObject[] };
  let text: string;
  const asOf = new Date(Date.now() + 1000).toISOString();

  beforeAll(async () => {
    // Links to the console start with PUBLIC_BASE_URL, not with each test request's own address.
    t = await createTestApp({ PUBLIC_BASE_URL: 'https://claimtrack.example.org' });
    await t.app.get(SeedService).seedContent();
    auth = (await t.signIn('viewer')).auth;
    const res = await t.http.get('/reports/claims').query({ format: 'stix', asOf }).set('Authorization', auth).expect(200);
    expect(res.headers['content-type']).toBe('application/stix+json;version=2.1');
    text = res.text;
    bundle = JSON.parse(text);
  }, 60_000);
  afterAll(() => t?.close());

  it('validates every object against both schema sets with zero errors', () => {
    const ajv = validator();
    const errors: string[] = [];
    // Upstream's bundle.json lists the object schemas it accepts, and grouping, note and opinion are
    // not among them (each is checked against its own schema below): the bundle is checked with the others.
    const listed = new Set(['identity', 'report']);
    const bundleSchema = ajv.getSchema(BASE + 'schemas/common/bundle.json')!;
    if (!bundleSchema({ ...bundle, objects: bundle.objects.filter((o) => listed.has(o.type)) })) errors.push(`bundle: ${ajv.errorsText(bundleSchema.errors)}`);
    errors.push(...schemaErrors(ajv, bundle.objects));
    const kinds = new Set(bundle.objects.map((o) => o.type));
    expect(errors).toEqual([]);
    expect([...kinds].sort()).toEqual(['grouping', 'identity', 'note', 'opinion', 'report']);
    // And the validators do refuse: a report without report_types (the interop profile), an opinion outside the five values.
    const report = bundle.objects.find((o) => o.type === 'report')!;
    const opinion = bundle.objects.find((o) => o.type === 'opinion')!;
    expect(ajv.getSchema(`${BASE}interop/report.json`)!({ ...report, report_types: undefined })).toBe(false);
    expect(ajv.getSchema(`${BASE}schemas/sdos/opinion.json`)!({ ...opinion, opinion: 'maybe' })).toBe(false);
    // The interop profile has a schema for each kind but identity.
    for (const kind of ['grouping', 'note', 'opinion', 'report']) expect(ajv.getSchema(`${BASE}interop/${kind}.json`)).toBeDefined();
  });

  it('keeps the rules the schemas cannot: references resolve in the bundle, modified ≥ created, ids UUIDv5 of Claimtrack ids, no custom properties', async () => {
    const ids = new Set(bundle.objects.map((o) => o.id));
    expect(ids.size).toBe(bundle.objects.length);
    for (const object of bundle.objects) {
      for (const ref of refsOf(object)) expect({ object: object.id, ref, found: ids.has(ref) }).toEqual({ object: object.id, ref, found: true });
      expect(Date.parse(object.modified!)).toBeGreaterThanOrEqual(Date.parse(object.created!));
      const uuid = object.id.slice(object.type.length + 2);
      expect(isUuid(uuid) && uuidVersion(uuid)).toBe(5);
      expect(Object.keys(object).filter((key) => key.startsWith('x_'))).toEqual([]);
    }
    // Every claim is a grouping with the documented id, every assessment version an opinion.
    const claims = await t.prisma.claim.findMany({ where: { archivedAt: null }, select: { id: true, statement: true } });
    for (const claim of claims) expect(ids.has(stixId('grouping', 'claim', claim.id))).toBe(true);
    const versions = await t.prisma.assessment.findMany({ select: { id: true, probability: true } });
    for (const version of versions) {
      const opinion = bundle.objects.find((o) => o.id === stixId('opinion', 'assessment', version.id))!;
      expect(opinion.opinion).toBe(stixOpinion(version.probability));
      expect(opinion.labels).toContain(likelihoodLabel(version.probability));
      expect(bundle.objects.find((o) => o.id === stixId('note', 'assessment', version.id))?.content).toContain(`Probability ${version.probability} `);
    }
  });

  it('carries the grades as MISP machine tags, quotes verbatim, and each source\'s URL and text hash', async () => {
    const evidence = await t.prisma.evidence.findFirstOrThrow({ where: { archivedAt: null }, include: { source: true } });
    const note = bundle.objects.find((o) => o.id === stixId('note', 'evidence', evidence.id))!;
    expect(note).toMatchObject({
      content: evidence.quote,
      abstract: evidence.stance,
      labels: [`admiralty-scale:source-reliability="${evidence.source.reliability.toLowerCase()}"`, `admiralty-scale:information-credibility="${evidence.credibility}"`],
    });
    const report = bundle.objects.find((o) => o.id === stixId('report', 'source', evidence.sourceId))!;
    expect(report.object_refs).toContain(note.id);
    const reference = (report.external_references as { url?: string; hashes?: Record<string, string> }[])[0];
    if (evidence.source.url) expect(reference.url).toBe(evidence.source.url);
    const { createHash } = await import('node:crypto');
    expect(reference.hashes?.['SHA-256']).toBe(createHash('sha256').update(evidence.source.fullText!, 'utf8').digest('hex'));
  });

  it('is the same bytes when exported again at the same asOf', async () => {
    const again = await t.http.get('/reports/claims').query({ format: 'stix', asOf }).set('Authorization', auth).expect(200);
    expect(again.text).toBe(text);
  });
});
