import { pause } from './support/wait.js';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseHtml } from 'node-html-parser';
import { fixtures } from './support/fixtures.js';
import { readCsvWithPython } from './support/python-csv.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const TRICKY = 'Tricky "quoted", comma\nsecond line <script>alert(1)</script> | pipe *star*';

describe('claims report', () => {
  let t: TestApp;
  let auth: string;
  let topic: string;
  let tricky: { id: string };
  let then: string;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: 'https://claimtrack.example.org/' });
    auth = (await t.signIn('analyst')).auth;
    const make = fixtures(t, auth);
    topic = `report-${Date.now()}`;
    const source = await make.source({ title: 'Source <b>bold</b>, "quoted"', reliability: 'C' });
    tricky = await make.claim({ statement: TRICKY, topics: [topic], appearances: [{ sourceId: source.id, quote: 'Beijing has repeatedly denied' }] });
    // Titles with no comma or quote: the cell listing them holds only line breaks, which must still be quoted.
    const [cyrillic, chinese] = [await make.source({ title: 'Коммерсантъ' }), await make.source({ title: '中国日报' })];
    await make.claim({
      statement: 'A plain claim for the report',
      topics: [topic],
      appearances: [
        { sourceId: cyrillic.id, quote: 'The summit ended' },
        { sourceId: chinese.id, quote: 'The summit ended' },
      ],
    });
    await make.evidence(tricky.id, source.id, { credibility: 2, diagnosticity: 3 });
    await make.evidence(tricky.id, source.id, { stance: 'contradicts', quote: 'Beijing has repeatedly denied supplying weapons to Moscow.', credibility: 3 });
    await make.evidence(tricky.id, source.id, { stance: 'contradicts', quote: 'without any public announcement', credibility: 4 });
    await make.assess(tricky.id, 0, { probability: 0.25, rationale: 'First, with "quotes", commas\nand a line break.' });
    await pause(20);
    then = new Date().toISOString();
    await pause(20);
    await make.assess(tricky.id, 1, { probability: 0.85, confidence: 'high' });
  });
  afterAll(() => t.close());

  const bytes = (format: string, query: Record<string, string> = {}) =>
    t.http
      .get('/reports/claims')
      .query({ format, topic, ...query })
      .set('Authorization', auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
  const report = async (format: string, query: Record<string, string> = {}) => {
    const res = await bytes(format, query);
    return Object.assign(res, { body: (res.body as Buffer).toString('utf8') });
  };

  it('exports JSON with assessment, history, evidence for and against, and sources, matching the database', async () => {
    const res = await report('json');
    expect(res.headers['content-type']).toMatch(/application\/json/);
    // Configured as served over HTTPS, browsers are asked to upgrade (never over plain HTTP: see the console tests).
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    // and the console's session cookie is Secure.
    const user = await t.signIn('viewer');
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password, session: 'cookie' }).expect(200);
    expect(String(login.headers['set-cookie'])).toMatch(/claimtrack_refresh=.*; Secure/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="claimtrack-claims-\d{4}-\d{2}-\d{2}\.json"$/);
    const body = JSON.parse(res.body as string);
    expect(body.claims).toHaveLength(2);
    const claim = body.claims.find((c: { id: string }) => c.id === tricky.id);
    const supports = await t.prisma.evidence.count({ where: { claimId: tricky.id, stance: 'supports' } });
    const contradicts = await t.prisma.evidence.count({ where: { claimId: tricky.id, stance: 'contradicts' } });
    expect(claim).toMatchObject({
      statement: TRICKY,
      url: `https://claimtrack.example.org/#/claims/${tricky.id}`,
      assessment: { version: 2, probability: 0.85, estimativeTerm: 'very likely', confidence: 'high' },
    });
    expect(claim.evidenceFor).toHaveLength(supports);
    expect(claim.evidenceAgainst).toHaveLength(contradicts);
    expect(claim.history.map((h: { version: number }) => h.version)).toEqual([1, 2]);
    expect(claim.sources[0]).toMatchObject({ title: 'Source <b>bold</b>, "quoted"', reliability: 'C' });
    expect(claim.evidenceFor[0]).toMatchObject({ grade: 'C2', diagnosticity: 3 });
    // Source C (0.6), diagnosticity 3: supports at credibility 2 (0.8), against at 3 (0.6) and 4 (0.4):
    // logit = 0.6 × ln 3 × (0.8 − 0.6 − 0.4) = −0.13183 → p = 0.46709.
    expect(claim.evidenceProbability).toBeCloseTo(0.46709, 4);
    expect(body.calibration).toMatchObject({ claims: 0, forecasts: 0, brierScore: null });
    expect(body.calibration.bands).toHaveLength(7);
  });

  it('exports RFC 4180 CSV that a CSV parser reads back exactly', async () => {
    const res = await report('csv');
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const rows = parseCsv(res.body as string, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    const row = rows.find((r) => r.id === tricky.id)!;
    expect(row.statement).toBe(TRICKY);
    expect(Number(row.probability)).toBe(0.85);
    expect(row.estimative_term).toBe('very likely');
    expect(Number(row.supporting_evidence)).toBe(1);
    expect(Number(row.contradicting_evidence)).toBe(2);
    expect(row.evidence_against.split('\n')).toHaveLength(2);
    expect(row.history.split('\n')).toHaveLength(2);
  });

  it('exports CSV that Python\'s csv module reads as one record per claim, with a UTF-8 BOM for spreadsheets', async () => {
    const csv = (await bytes('csv')).body as Buffer;
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = await readCsvWithPython(csv);
    expect(rows.map((r) => r.statement).sort()).toEqual(['A plain claim for the report', TRICKY]);
    const plain = rows.find((r) => r.statement === 'A plain claim for the report')!;
    expect(plain.sources.split('\n').sort()).toEqual(['Коммерсантъ [B]', '中国日报 [B]']);
    expect(rows.find((r) => r.id === tricky.id)!.rationale).toBe(
      (await t.prisma.assessment.findFirstOrThrow({ where: { claimId: tricky.id, version: 2 } })).rationale,
    );

    const bare = (await bytes('csv', { bom: 'false' })).body as Buffer;
    expect(bare.subarray(0, 2).toString()).toBe('id');
    expect(await readCsvWithPython(bare)).toEqual(rows);
    await t.http.get('/reports/claims').query({ format: 'csv', bom: 'maybe' }).set('Authorization', auth).expect(400);
  });

  it('exports a self-contained HTML page with every text escaped', async () => {
    const res = await report('html');
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = res.body as string;
    const doc = parseHtml(html);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('link, img, iframe')).toHaveLength(0);
    expect(html).not.toMatch(/src="https?:/);
    // Each claim links to its page in the console, and nothing else links out.
    expect(doc.querySelectorAll('a').map((a) => a.getAttribute('href'))).toEqual(
      expect.arrayContaining([`https://claimtrack.example.org/#/claims/${tricky.id}`]),
    );
    expect(doc.querySelectorAll('a').every((a) => a.getAttribute('href')!.startsWith('https://claimtrack.example.org/#/claims/'))).toBe(true);
    const headings = doc.querySelectorAll('h2').map((h) => h.textContent);
    expect(headings).toEqual(expect.arrayContaining([TRICKY, 'A plain claim for the report']));
    const section = doc.querySelectorAll('section').find((s) => s.querySelector('h2')!.textContent === TRICKY)!;
    expect(section.querySelector('.rating')!.textContent).toContain('very likely (85 %)');
    expect(section.querySelectorAll('.against li')).toHaveLength(2);
    expect(section.querySelectorAll('tbody tr')).toHaveLength(2);
  });

  it('exports Markdown with a section per claim and escaped table cells', async () => {
    const res = await report('md');
    const text = res.body as string;
    expect(res.headers['content-type']).toMatch(/text\/markdown/);
    // Two claims, then the calibration section.
    expect(text.match(/^## /gm)).toHaveLength(3);
    expect(text).toContain('## Calibration');
    expect(text).toContain('\\| pipe \\*star\\*');
    expect(text).toContain('### Evidence against (2)');
    expect(text).toContain('| 2 | ');
  });

  it('exports schema.org ClaimReview JSON-LD for assessed claims', async () => {
    const res = await report('jsonld');
    expect(res.headers['content-type']).toMatch(/application\/ld\+json/);
    const reviews = JSON.parse(res.body as string);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url: `https://claimtrack.example.org/#/claims/${tricky.id}`,
      claimReviewed: TRICKY,
      author: { '@type': 'Person', name: 'Test analyst' },
      reviewRating: { '@type': 'Rating', ratingValue: 85, bestRating: 100, worstRating: 0, alternateName: 'very likely' },
      itemReviewed: { '@type': 'Claim', appearance: [{ '@type': 'CreativeWork' }], firstAppearance: { '@type': 'CreativeWork' } },
    });
    expect(reviews[0].datePublished).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reports what was in force as of a moment', async () => {
    const res = await report('json', { asOf: then });
    expect(res.headers['content-disposition']).toMatch(/claimtrack-claims-as-of-/);
    const claim = JSON.parse(res.body as string).claims.find((c: { id: string }) => c.id === tricky.id);
    expect(claim.assessment).toMatchObject({ version: 1, probability: 0.25 });
    expect(claim.history).toHaveLength(1);
  });

  it('writes the same report from the command line', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'claimtrack-report-'));
    const out = join(folder, 'report.md');
    await promisify(execFile)('node', ['dist/reports/cli.js', '--format', 'md', '--topic', topic, '--out', out], {
      env: { ...process.env, DATABASE_URL: t.databaseUrl },
    });
    const text = await readFile(out, 'utf8');
    await rm(folder, { recursive: true });
    expect(text.match(/^## /gm)).toHaveLength(3);
    expect(text).toContain('A plain claim for the report');
    await expect(promisify(execFile)('node', ['dist/reports/cli.js', '--format', 'pdf'], { env: process.env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--format'),
    });
  });

  it('refuses unknown formats and parameters', async () => {
    await t.http.get('/reports/claims').query({ format: 'pdf' }).set('Authorization', auth).expect(400);
    await t.http.get('/reports/claims').query({ color: 'red' }).set('Authorization', auth).expect(400);
    await t.http.get('/reports/claims').expect(401);
  });

  it('downloads by a link token (a browser saving the file), which opens nothing else and only the report', async () => {
    const issued = await t.http.post('/reports/claims/tokens').set('Authorization', auth).expect(201);
    expect(issued.body).toMatchObject({ expiresIn: 60, url: `/reports/claims?token=${issued.body.token}` });
    const res = await t.http.get(issued.body.url).query({ format: 'csv', topic }).expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="claimtrack-claims-.*\.csv"$/);
    expect(res.text).toContain('A plain claim for the report');
    await t.http.get('/reports/claims').query({ token: 'garbage' }).expect(401);
    await t.http.get('/claims').query({ token: issued.body.token }).expect(401);
    const stream = await t.http.post('/confidence/stream-tokens').set('Authorization', auth).expect(201);
    await t.http.get('/reports/claims').query({ token: stream.body.token }).expect(401);
    await t.http.get('/confidence/stream').query({ token: issued.body.token }).expect(401);
  });
});
