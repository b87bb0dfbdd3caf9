import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { analystSession, type Fixtures } from './support/fixtures.js';
import { readCsvWithPython } from './support/python-csv.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { normaliseText } from '../src/sources/document-extraction.js';

type Session = Awaited<ReturnType<TestApp['signIn']>>;

/** A news page as a browser gets it: navigation, an advert, a script, a footer, and the article. */
const PAGE = `<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Drone parts crossed the border | The Border Times</title>
  <meta property="og:title" content="Drone parts crossed the border">
  <meta name="author" content="Jane Reporter">
  <meta property="og:site_name" content="The Border Times">
  <meta property="article:published_time" content="2024-03-05T08:00:00Z">
  <script>document.title = 'hijacked'; fetch('https://tracker.example/beacon');</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now</a></nav>
  <div class="ad">BUY CHEAP FLIGHTS TODAY — advertisement</div>
  <article>
    <h1>Drone parts crossed the border</h1>
    <p>Customs records seen by this newspaper show that Chinese firms shipped dual-use components to Russian buyers through Kazakhstan in March.</p>
    <p>Officials in Beijing denied any knowledge of the shipments, saying that China does not supply lethal weapons to either side of the war.</p>
    <p>Three logistics companies named in the records did not respond to requests for comment, and one of them has since changed its registered address.</p>
    <p>Analysts said the volumes were small compared with last year, but that the routes matched those described in earlier sanctions cases.</p>
  </article>
  <script>window.stolen = document.cookie;</script>
  <footer>© The Border Times. All rights reserved. Cookie settings.</footer>
</body>
</html>`;

async function pdf(pages: string[], info: { title?: string; author?: string; created?: Date } = {}, classicTrailer = false): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([595, 842]);
    text.split('\n').forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 18, size: 12, font }));
  }
  if (info.title) doc.setTitle(info.title);
  if (info.author) doc.setAuthor(info.author);
  if (info.created) doc.setCreationDate(info.created);
  return Buffer.from(await doc.save({ useObjectStreams: !classicTrailer }));
}

/** A one-page PDF whose content stream is `expanded` bytes of spaces, Flate-compressed: a small file that decompresses to a huge one. */
function bombPdf(expanded: number): Buffer {
  const payload = deflateSync(Buffer.alloc(expanded, 0x20), { level: 9 });
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  ].map((body, i) => Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, 'latin1'));
  const parts = [Buffer.from('%PDF-1.7\n', 'latin1'), ...objects, Buffer.from(`4 0 obj\n<< /Length ${payload.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), payload, Buffer.from('\nendstream\nendobj\n', 'latin1')];
  const offsets = parts.slice(0, 5).reduce<number[]>((all, part, i) => (i === 0 ? all : [...all, all.length ? all.at(-1)! + parts[i - 1].length : parts[0].length]), []);
  const body = Buffer.concat(parts);
  return Buffer.concat([body, Buffer.from(`xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${body.length}\n%%EOF\n`, 'latin1')]);
}

/** A PDF whose trailer says it is encrypted with a password the reader does not have. */
async function encryptedPdf(): Promise<Buffer> {
  const plain = (await pdf(['Secret text.'], { title: 'Locked' }, true)).toString('latin1');
  const encrypt = '/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <' + 'ab'.repeat(32) + '> /U <' + 'cd'.repeat(32) + '> >> /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]';
  return Buffer.from(plain.replace(/trailer\s*<</, `trailer\n<< ${encrypt}`), 'latin1');
}

describe('importing documents as sources', () => {
  let t: TestApp;
  let analyst: Session;
  let make: Fixtures;
  beforeAll(async () => ({ t, analyst, make } = await analystSession()));
  afterAll(() => t.close());

  const upload = (bytes: Buffer | string, filename: string, contentType: string, fields: Record<string, string> = {}, path = '/sources/import') => {
    let request = t.http.post(path).set('Authorization', analyst.auth);
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
    return request.attach('file', Buffer.from(bytes), { filename, contentType });
  };
  const sourceCount = () => t.prisma.source.count();

  it('takes the article out of an HTML page — no navigation, advert, script or footer — and proposes its metadata', async () => {
    const res = await upload(PAGE, 'drone-parts.html', 'text/html').expect(201);
    const text: string = res.body.fullText;
    expect(text.split('\n\n')).toEqual([
      expect.stringMatching(/^Customs records seen by this newspaper/),
      expect.stringMatching(/^Officials in Beijing denied/),
      expect.stringMatching(/^Three logistics companies/),
      expect.stringMatching(/^Analysts said the volumes/),
    ]);
    for (const noise of ['Subscribe', 'BUY CHEAP', 'hijacked', 'document.cookie', 'All rights reserved']) expect(text).not.toContain(noise);
    expect(res.body).toMatchObject({
      title: 'Drone parts crossed the border', author: 'Jane Reporter', outlet: 'The Border Times', publishedOn: '2024-03-05', language: 'en-GB', kind: 'news_report',
      duplicate: false, proposed: { title: 'Drone parts crossed the border', author: 'Jane Reporter', outlet: 'The Border Times', publishedOn: '2024-03-05', language: 'en-GB' },
    });
    expect(res.body.file).toEqual({ sha256: createHash('sha256').update(PAGE).digest('hex'), mediaType: 'text/html', filename: 'drone-parts.html', size: Buffer.byteLength(PAGE) });

    // Quotes are checked against the extracted text.
    const claim = await make.claim();
    await make.evidence(claim.id, res.body.id, { quote: 'Chinese firms shipped dual-use components to Russian buyers through Kazakhstan' });
    await t.http.post(`/claims/${claim.id}/evidence`).set('Authorization', analyst.auth)
      .send({ sourceId: res.body.id, stance: 'supports', quote: 'BUY CHEAP FLIGHTS TODAY', credibility: 2 }).expect(422);

    // The original is kept as uploaded, and served only as a download.
    const original = await t.http.get(`/sources/${res.body.id}/file`).set('Authorization', analyst.auth).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(createHash('sha256').update(original.body as Buffer).digest('hex')).toBe(res.body.file.sha256);
    expect(original.headers['content-disposition']).toBe("attachment; filename*=UTF-8''drone-parts.html");
    expect(original.headers['content-security-policy']).toContain('sandbox');
    await t.http.get(`/sources/${(await make.source()).id}/file`).set('Authorization', analyst.auth).expect(404);
  });

  it('recognises the same file uploaded again and answers with its source, storing nothing new', async () => {
    const before = await sourceCount();
    const [first, second] = await Promise.all([upload(`${PAGE}<!-- again -->`, 'a.html', 'text/html'), upload(`${PAGE}<!-- again -->`, 'b.html', 'text/html')]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(first.body.id).toBe(second.body.id);
    const third = await upload(`${PAGE}<!-- again -->`, 'c.html', 'text/html').expect(200);
    expect(third.body).toMatchObject({ id: first.body.id, duplicate: true });
    expect(await sourceCount()).toBe(before + 1);
  });

  it('lets fields sent with the file replace what the document proposes', async () => {
    const res = await upload(PAGE.replace('Kazakhstan', 'Kyrgyzstan'), 'page.html', 'text/html', { title: 'Customs records, March', reliability: 'B', kind: 'analysis' }).expect(201);
    expect(res.body).toMatchObject({ title: 'Customs records, March', reliability: 'B', kind: 'analysis', author: 'Jane Reporter', proposed: { title: 'Drone parts crossed the border' } });
    const bad = await upload('Some text.', 'x.txt', 'text/plain', { reliability: 'Z', publishedOn: 'March' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['publishedOn', 'reliability']);
    await upload('Some text.', 'x.txt', 'text/plain', { role: 'admin' }).expect(400);
  });

  it('reads the text and information of a PDF, page by page', async () => {
    const file = await pdf(['Page one says the shipments began in January.', 'Page two says they stopped in May.'], { title: 'Sanctions monitor', author: 'Monitoring Group', created: new Date('2024-06-01T00:00:00Z') });
    const res = await upload(file, 'monitor.pdf', 'application/pdf').expect(201);
    expect(res.body.fullText).toBe('Page one says the shipments began in January.\n\nPage two says they stopped in May.');
    expect(res.body).toMatchObject({ title: 'Sanctions monitor', author: 'Monitoring Group', publishedOn: '2024-06-01', kind: 'other', file: { mediaType: 'application/pdf' } });
  });

  it('keeps Russian and Chinese text byte for byte, quotable and searchable', async () => {
    const russian = 'Китайские компании поставляли компоненты двойного назначения через Казахстан.\n\nПекин отрицает поставки оружия.';
    const chinese = '中国外交部表示，中方从未向冲突任何一方提供致命性武器。\n\n海关记录显示，部分零部件经由第三国运抵。';
    const ru = await upload(russian, 'ru.txt', 'text/plain; charset=utf-8', { title: 'Поставки', language: 'ru' }).expect(201);
    const zh = await upload(chinese, 'zh.txt', 'text/plain', { title: '外交部声明', language: 'zh' }).expect(201);
    expect(Buffer.from(ru.body.fullText)).toEqual(Buffer.from(russian.normalize('NFC')));
    expect(Buffer.from(zh.body.fullText)).toEqual(Buffer.from(chinese));
    const claim = await make.claim();
    const item = await make.evidence(claim.id, zh.body.id, { quote: '中方从未向冲突任何一方提供致命性武器' });
    expect(item.quote).toBe('中方从未向冲突任何一方提供致命性武器');
    await make.evidence(claim.id, ru.body.id, { quote: 'Пекин отрицает поставки оружия' });
    expect((item as unknown as { selectors: { start: number; end: number }[] }).selectors[1]).toEqual({ type: 'TextPositionSelector', start: 8, end: 26 });
    expect(Array.from(chinese).slice(8, 26).join('')).toBe('中方从未向冲突任何一方提供致命性武器');

    // Found in their own language: Russian by stem (поставка ~ поставки), Chinese as written.
    const search = async (path: string) => (await t.http.get(path).set('Authorization', analyst.auth).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(await search(`/claims/${claim.id}/evidence?q=${encodeURIComponent('поставка оружия')}`)).toHaveLength(1);
    expect(await search(`/claims/${claim.id}/evidence?q=${encodeURIComponent('致命性武器')}`)).toEqual([item.id]);
    expect(await search(`/claims?q=${encodeURIComponent('提供致命性')}`)).toEqual([claim.id]);
    expect(await search(`/sources?q=${encodeURIComponent('外交部')}`)).toEqual([zh.body.id]);
    expect(await search(`/sources?q=${encodeURIComponent('поставка')}`)).toEqual([ru.body.id]);

    // Exported byte for byte: JSON, and CSV read by Python's csv module.
    const json = (await t.http.get(`/reports/claims?format=json&ids=${claim.id}`).set('Authorization', analyst.auth).expect(200)).body;
    const quotes = json.claims[0].evidenceFor.map((e: { quote: string }) => e.quote).sort();
    expect(quotes.map((q: string) => Buffer.from(q).toString('hex'))).toEqual(['Пекин отрицает поставки оружия', '中方从未向冲突任何一方提供致命性武器'].sort().map((q) => Buffer.from(q).toString('hex')));
    const csv = await t.http.get(`/reports/claims?format=csv&ids=${claim.id}`).set('Authorization', analyst.auth).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    const text = JSON.stringify(await readCsvWithPython(csv.body as Buffer));
    for (const quote of ['Пекин отрицает поставки оружия', '中方从未向冲突任何一方提供致命性武器']) expect(text).toContain(quote);
  });

  it('suggests, sentence by sentence, the claims a new article may restate, support or contradict, and new check-worthy claims', async () => {
    const kz = await make.claim({ statement: 'Chinese firms shipped dual-use components to Russian buyers through Kazakhstan' });
    const arms = await make.claim({ statement: 'China supplies lethal weapons to Russia' });
    await make.claim({ statement: 'Iran sells attack drones to Russia' });
    const source = (await upload(PAGE.replace('in March', 'in April'), 'suggest.html', 'text/html').expect(201)).body;
    const res = (await t.http.get(`/sources/${source.id}/claim-suggestions`).set('Authorization', analyst.auth).expect(200)).body;
    expect(res.matching).toBe('PostgreSQL text search, english');
    const about = (start: string) => res.sentences.find((s: { text: string }) => s.text.startsWith(start));
    expect(about('Customs records').claims[0]).toMatchObject({ claimId: kz.id, relation: 'restates' });
    expect(about('Officials in Beijing').claims[0]).toMatchObject({ claimId: arms.id, relation: 'may-contradict' });
    expect(about('Analysts said').checkReasons).toContain('attribution');
    for (const s of res.sentences) {
      expect(Array.from(source.fullText as string).slice(s.start, s.end).join('')).toBe(s.text);
      expect(s.claims.map((c: { statement: string }) => c.statement)).not.toContain('Iran sells attack drones to Russia');
    }

    const ru = await make.claim({ statement: 'Китай поставляет оружие России' });
    const zh = await make.claim({ statement: '中国向俄罗斯提供致命性武器' });
    const russian = (await upload('Китай не поставляет оружие России, заявил МИД в четверг.', 'ru2.txt', 'text/plain', { title: 'МИД', language: 'ru' }).expect(201)).body;
    const chinese = (await upload('外交部发言人表示，中国从未向俄罗斯提供致命性武器。', 'zh2.txt', 'text/plain', { title: '发言', language: 'zh' }).expect(201)).body;
    const ruSuggestions = (await t.http.get(`/sources/${russian.id}/claim-suggestions`).set('Authorization', analyst.auth).expect(200)).body;
    expect(ruSuggestions).toMatchObject({ matching: 'PostgreSQL text search, russian', sentences: [{ claims: [{ claimId: ru.id, relation: 'may-contradict' }], checkReasons: ['attribution'] }] });
    const zhSuggestions = (await t.http.get(`/sources/${chinese.id}/claim-suggestions`).set('Authorization', analyst.auth).expect(200)).body;
    expect(zhSuggestions).toMatchObject({ matching: 'character bigrams', sentences: [{ claims: [{ claimId: zh.id, relation: 'may-contradict' }] }] });
    await t.http.get('/sources/00000000-0000-4000-8000-000000000000/claim-suggestions').set('Authorization', analyst.auth).expect(404);
  });

  it('reads Markdown as a reader sees it', async () => {
    const res = await upload('# Field report\n\nThe **convoy** crossed at [Khorgos](https://example.org/khorgos) on _Tuesday_.\n\n- Trucks: 12\n', 'report.md', 'text/markdown').expect(201);
    expect(res.body.fullText).toBe('Field report\n\nThe convoy crossed at Khorgos on Tuesday.\n\nTrucks: 12');
    expect(res.body.title).toBe('Field report');
  });

  it('previews an import without storing anything', async () => {
    const before = await sourceCount();
    const res = await upload(PAGE, 'drone-parts.html', 'text/html', {}, '/sources/import/preview').expect(200);
    expect(res.body).toMatchObject({ proposed: { title: 'Drone parts crossed the border' }, file: { mediaType: 'text/html' } });
    expect(res.body.existingSourceId).toEqual(expect.any(String));
    expect(res.body.text).toMatch(/^Customs records/);
    expect(await sourceCount()).toBe(before);
  });

  it('refuses what it cannot import with a clear 4xx, storing nothing', async () => {
    const before = await sourceCount();
    const problem = async (res: { body: { detail: string } }) => res.body.detail;
    expect(await problem(await upload(await encryptedPdf(), 'locked.pdf', 'application/pdf').expect(422))).toContain('encrypted');
    expect(await problem(await upload('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\n%%EOF', 'broken.pdf', 'application/pdf').expect(422))).toContain('PDF cannot be read');
    // 100 KB that would decompress to 100 MB: refused before it is read.
    const bomb = bombPdf(100e6);
    expect(bomb.length).toBeLessThan(200_000);
    expect(await problem(await upload(bomb, 'bomb.pdf', 'application/pdf').expect(422))).toContain('decompression bomb');
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de', 'hex');
    expect(await problem(await upload(png, 'photo.png', 'image/png').expect(415))).toContain('HTML, PDF, plain text and Markdown');
    expect(await problem(await upload('<html><body><nav>Home</nav><script>alert(1)</script></body></html>', 'empty.html', 'text/html').expect(422))).toContain('no text');
    expect(await problem(await upload(await pdf(['']), 'blank.pdf', 'application/pdf').expect(422))).toContain('no text');
    await upload('', 'empty.txt', 'text/plain').expect(422);
    await t.http.post('/sources/import').set('Authorization', analyst.auth).send({ title: 'JSON' }).expect(415);
    const noFile = await t.http.post('/sources/import').set('Authorization', analyst.auth).field('title', 'No file').expect(400);
    expect(noFile.body.errors[0].field).toBe('file');
    await t.http.post('/sources/import').set('Authorization', (await t.signIn('viewer')).auth).attach('file', Buffer.from('text'), 'a.txt').expect(403);
    expect(await sourceCount()).toBe(before);
    expect(await t.prisma.sourceFile.count()).toBe(await t.prisma.source.count({ where: { file: { isNot: null } } }));
  });

  it('answers 413 beyond IMPORT_MAX_BYTES, storing nothing', async () => {
    const small = await createTestApp({ IMPORT_MAX_BYTES: '4096' }, t);
    try {
      const { auth } = await small.signIn('analyst');
      const before = await small.prisma.source.count();
      const res = await small.http.post('/sources/import').set('Authorization', auth).attach('file', Buffer.from('word '.repeat(2000)), { filename: 'big.txt', contentType: 'text/plain' }).expect(413);
      expect(res.body.detail).toContain('4096 bytes');
      expect(await small.prisma.source.count()).toBe(before);
    } finally {
      await small.close();
    }
  });

  it('gives the seed articles, imported as files, the text the seed stores (normalised: trailing space and blank lines)', async () => {
    const dir = join(import.meta.dirname, '..', 'seed', 'articles');
    for (const file of await readdir(dir)) {
      const original = await readFile(join(dir, file));
      const res = await upload(original, file, 'text/plain', { title: `Seed article ${file}` }).expect(201);
      expect(res.body.fullText).toBe(normaliseText(original.toString('utf8')));
      // What normalising changes in the seed's own text, if anything, is only whitespace.
      expect(res.body.fullText.replace(/\s+/g, ' ')).toBe(original.toString('utf8').replace(/\s+/g, ' ').trim());
    }
  });
});
