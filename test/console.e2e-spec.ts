/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parse as parseHtml } from 'node-html-parser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SeedService } from '../src/seed/seed.service.js';
import { percent } from '../src/vocabulary/display.js';
import { REPORT_FORMAT_NAMES } from '../src/vocabulary/report-formats.js';
import { UsersService } from '../src/users/users.service.js';
import { readCsvWithPython } from './support/python-csv.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { poll } from './support/wait.js';
import { webhookReceiver } from './support/webhook-receiver.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts';
const ARMS = 'China is supplying arms to Russia';
const HOST = 'claimtrack.test';
const AXE = 'node_modules/axe-core/axe.min.js';
/** A sentence of an article, as an analyst would quote it. */
const sentenceOf = (text: string) => text.split(/[.\n]/).find((sentence) => sentence.trim().length > 30)!.trim();
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Console browser tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium).`);

(hasChromium ? describe : describe.skip)('analyst console in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const accounts = {
    analyst: { email: 'console.analyst@example.org', password: 'console-analyst-pass', name: 'Ana Lyst' },
    rival: { email: 'console.rival@example.org', password: 'console-rival-pass', name: 'Rival Analyst' },
    viewer: { email: 'console.viewer@example.org', password: 'console-viewer-pass', name: 'Vi Ewer' },
    admin: { email: 'console.admin@example.org', password: 'console-admin-pass', name: 'Ad Min' },
  };

  beforeAll(async () => {
    t = await createTestApp({ STREAM_HEARTBEAT_SECONDS: '1' });
    await t.app.get(SeedService).seedContent();
    const users = t.app.get(UsersService);
    await users.create(null, { ...accounts.analyst, role: 'analyst' });
    await users.create(null, { ...accounts.rival, role: 'analyst' });
    await users.create(null, { ...accounts.viewer, role: 'viewer' });
    await users.create(null, { ...accounts.admin, role: 'admin' });
    // Served over plain HTTP on a name other than localhost, as in a container (HOST=0.0.0.0):
    // browsers treat only localhost as secure, so this is where a CSP upgrade would break the page.
    const { port } = new URL(await t.listen());
    base = `http://${HOST}:${port}`;
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(account: keyof typeof accounts): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByLabel('Email').fill(accounts[account].email);
    await page.getByLabel('Password').fill(accounts[account].password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Claims' }).waitFor();
    return page;
  }

  /** What axe-core finds wrong on the page as it is now. */
  async function axeViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: AXE });
    return page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
  }

  async function openArmsClaim(page: Page): Promise<void> {
    await page.getByLabel('Search').fill('arms Russia');
    await page.getByRole('button', { name: 'Apply' }).click();
    // The filtered list, not the one it replaces.
    await page.waitForURL(/q=arms\+Russia/);
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await page.getByRole('link', { name: ARMS }).click();
    await page.getByRole('heading', { name: ARMS }).waitFor();
  }

  it('loads the console and the API docs over plain HTTP on a non-localhost name; report links open the claim in the console', async () => {
    const page = await signedIn('analyst');
    expect(page.url().startsWith(`http://${HOST}:`)).toBe(true);
    const markdown = await page.evaluate(async () => {
      const { accessToken } = JSON.parse(sessionStorage.getItem('claimtrack') ?? '{}') as { accessToken?: string };
      return fetch('/reports/claims?format=md&q=arms', { headers: { Authorization: `Bearer ${accessToken}` } }).then((r) => r.text());
    });
    const link = /<(\S+\/#\/claims\/[0-9a-f-]{36})>/.exec(markdown)?.[1];
    expect(link?.startsWith(`${base}/#/claims/`)).toBe(true);
    const claim = await t.prisma.claim.findUniqueOrThrow({ where: { id: link!.split('/').at(-1) } });
    await page.goto(link!);
    await page.getByRole('heading', { name: claim.statement }).waitFor({ timeout: 5_000 });

    const docs = await page.context().newPage();
    const failed: string[] = [];
    docs.on('requestfailed', (request) => failed.push(request.url()));
    await docs.goto(`${base}/docs`);
    await docs.locator('.swagger-ui .info .title').waitFor({ timeout: 5_000 });
    expect(failed).toEqual([]);
    await page.context().close();
  });

  it('follows the confidence stream from a browser EventSource, with a stream token, heartbeats and evidence weights', async () => {
    const page = await signedIn('analyst');
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: ARMS } });
    const events = await page.evaluate(async (claimId) => {
      const { accessToken } = JSON.parse(sessionStorage.getItem('claimtrack') ?? '{}') as { accessToken?: string };
      const auth = { Authorization: `Bearer ${accessToken}` };
      const headers = { ...auth, 'Content-Type': 'application/json' };
      const { url } = await fetch('/confidence/stream-tokens', { method: 'POST', headers: auth }).then((r) => r.json());
      const seen: string[] = [];
      const source = new EventSource(url);
      const opened = new Promise((resolve) => source.addEventListener('open', resolve));
      const heartbeat = new Promise((resolve) => source.addEventListener('heartbeat', () => resolve(seen.push('heartbeat'))));
      const change = new Promise((resolve) =>
        source.addEventListener('confidence', (event) => resolve(seen.push(`confidence ${JSON.parse((event as MessageEvent).data).claimId}`))),
      );
      const weighed = new Promise((resolve) =>
        source.addEventListener('evidence', (event) => {
          const data = JSON.parse((event as MessageEvent).data);
          resolve(seen.push(`evidence ${data.claimId} ${data.cause} ${data.contradictingEvidence}`));
        }),
      );
      await opened;
      const current = await fetch(`/claims/${claimId}`, { headers: auth }).then((r) => r.json());
      await fetch(`/claims/${claimId}/assessments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ probability: 0.45, confidence: 'low', rationale: 'Streamed.', baseVersion: current.assessment.version }),
      });
      // New counter-evidence moves the evidence weight: an "evidence" event.
      const [evidence] = (await fetch(`/claims/${claimId}/evidence?limit=1`, { headers: auth }).then((r) => r.json())).items;
      await fetch(`/claims/${claimId}/evidence`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ sourceId: evidence.sourceId, stance: 'contradicts', quote: evidence.quote, credibility: 2, diagnosticity: 2 }),
      });
      await Promise.all([heartbeat, change, weighed]);
      source.close();
      return seen.sort();
    }, claim.id);
    const against = await t.prisma.evidence.count({ where: { claimId: claim.id, stance: 'contradicts', archivedAt: null } });
    expect(events).toEqual([`confidence ${claim.id}`, `evidence ${claim.id} evidence ${against}`, 'heartbeat']);
    await page.context().close();
  });

  it('downloads every export in its format', async () => {
    const page = await signedIn('analyst');
    const buttons = page.getByRole('button', { name: /^Export / });
    expect(await buttons.count()).toBe(REPORT_FORMAT_NAMES.length);
    const files: Record<string, string> = {};
    for (let i = 0; i < REPORT_FORMAT_NAMES.length; i++) {
      const [download] = await Promise.all([page.waitForEvent('download'), buttons.nth(i).click()]);
      // Followed as a link, so the browser streams it to disk: not a blob the page holds.
      expect(download.url().startsWith(`${base}/reports/claims?token=`)).toBe(true);
      files[download.suggestedFilename().replace(/^claimtrack-claims-[\d-]+\./, '')] = await readFile((await download.path())!, 'utf8');
    }
    const claims = await t.prisma.claim.count({ where: { archivedAt: null } });
    expect(JSON.parse(files.json).claims).toHaveLength(claims);
    expect(await readCsvWithPython(Buffer.from(files.csv))).toHaveLength(claims);
    expect(files.md).toMatch(/^# Claimtrack claims report/);
    expect(parseHtml(files.html).querySelector('h1')!.textContent).toBe('Claimtrack claims report');
    const reviews = JSON.parse(files.jsonld) as { '@type': string }[];
    expect(reviews.length).toBeGreaterThan(0);
    expect(new Set(reviews.map((review) => review['@type']))).toEqual(new Set(['ClaimReview']));
    const bundle = JSON.parse(files['stix.json']) as { type: string; objects: { type: string }[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.filter((object) => object.type === 'grouping')).toHaveLength(claims);
    await expect(page.locator('#notice').textContent()).resolves.toBe('Exporting STIX 2.1: your browser saves the file as it arrives.');
    await page.context().close();
  }, 60_000);

  it('pages through every claim, most recently changed first by the date it shows', async () => {
    const analyst = await t.signIn('analyst');
    for (let i = 0; i < 6; i++) await t.http.post('/claims').set('Authorization', analyst.auth).send({ statement: `Paged console claim ${i}` }).expect(201);
    const total = await t.prisma.claim.count({ where: { archivedAt: null } });
    expect(total).toBeGreaterThan(50);
    const page = await signedIn('analyst');
    expect(await page.locator('#claims tbody tr').count()).toBe(50);
    await expect(page.locator('#shown').textContent()).resolves.toBe(`50 of ${total} claim(s)`);
    await page.getByRole('button', { name: 'Show 50 more' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('#claims tbody tr').length === n, total);
    expect(await page.getByRole('button', { name: 'Show 50 more' }).isHidden()).toBe(true);
    const statements = await page.locator('#claims tbody td:first-child').allTextContents();
    expect(new Set(statements).size).toBe(total);
    // "Recent change" sorts by what the last column shows.
    const dates = await page.locator('#claims tbody td:last-child').allTextContents();
    expect(dates).toEqual([...dates].sort().reverse());
    await page.context().close();
  }, 60_000);

  it('makes the analyst choose stance and credibility, says once what is wrong, and confirms what was saved', async () => {
    const page = await signedIn('analyst');
    await openArmsClaim(page);
    const before = await page.locator('[data-evidence]').count();
    // The sources are listed once they have loaded, after the page.
    await page.waitForFunction(() => (document.querySelector('#evidence-source') as HTMLSelectElement | null)?.value);
    const source = await page.locator('#evidence-source').inputValue();
    await page.getByLabel('Exact quote').fill('a sentence that is in no article');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    // Nothing chosen: the browser refuses the form, nothing is sent.
    expect(await page.locator('#evidence-stance').evaluate((select: HTMLSelectElement) => select.validity.valueMissing)).toBe(true);
    await page.getByLabel('Stance', { exact: true }).selectOption('contradicts');
    await page.getByLabel('Information credibility').selectOption('3');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    const error = page.locator('#evidence-error');
    await error.filter({ hasText: /verbatim/ }).waitFor();
    expect((await error.textContent())!.match(/verbatim/g)).toHaveLength(1);

    const article = await t.prisma.source.findUniqueOrThrow({ where: { id: source } });
    const quote = sentenceOf(article.fullText!);
    await page.getByLabel('Exact quote').fill(quote);
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await page.locator('#notice').filter({ hasText: 'Evidence added (contradicts' }).waitFor();
    expect(await page.locator('[data-evidence]').count()).toBe(before + 1);
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-evidence'))).toBe(true);
    // The next item of evidence starts from the same source.
    expect(await page.locator('#evidence-source').inputValue()).toBe(source);

    // A source whose URL exists already: that one is chosen, named, never shown as a bare id.
    for (const title of ['Known report', 'The same report again']) {
      await page.getByLabel('Title', { exact: true }).fill(title);
      await page.getByLabel('URL (optional)').fill('https://example.org/known-report');
      await page.getByRole('button', { name: 'Add source' }).click();
      await page.locator('#notice').filter({ hasText: title === 'Known report' ? 'Source "Known report" added' : 'already a source' }).waitFor();
    }
    await expect(page.locator('#notice').textContent()).resolves.toContain('Known report');
    expect(await page.locator('#evidence-source').evaluate((select: HTMLSelectElement) => select.selectedOptions[0].textContent)).toContain('Known report');
    await page.context().close();
  }, 60_000);

  it('keeps the session across tabs and reloads in an HttpOnly cookie, drafts per claim, and filters in the address', async () => {
    const page = await signedIn('analyst');
    // The refresh token is out of reach of scripts: not in storage, not in document.cookie.
    expect(await page.evaluate(() => JSON.stringify(sessionStorage) + document.cookie)).not.toMatch(/refresh/i);
    const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'claimtrack_refresh');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth', secure: false });

    // Filters live in the address: a new tab on that address shows the same list, signed in.
    await page.getByLabel('Search').fill('arms Russia');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/#\/\?q=arms\+Russia$/);
    const second = await page.context().newPage();
    await second.goto(page.url());
    await second.getByRole('link', { name: ARMS }).waitFor();
    expect(await second.getByLabel('Search').inputValue()).toBe('arms Russia');

    // A draft survives a reload, until it is discarded.
    await second.getByRole('link', { name: ARMS }).click();
    await second.getByLabel('Rationale').fill('Half-written: waiting for the customs figures.');
    await second.getByLabel('Probability in percent').fill('41');
    await second.reload();
    await second.getByRole('heading', { name: ARMS }).waitFor();
    expect(await second.getByLabel('Rationale').inputValue()).toBe('Half-written: waiting for the customs figures.');
    expect(await second.getByLabel('Probability in percent').inputValue()).toBe('41');
    await second.getByRole('button', { name: 'Discard draft' }).click();
    await second.locator('#notice').filter({ hasText: 'Draft discarded.' }).waitFor();
    expect(await second.getByLabel('Rationale').inputValue()).toBe('');

    // Signing out ends the session in every tab.
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.getByRole('button', { name: 'Sign in' }).waitFor();
    const third = await page.context().newPage();
    await third.goto(base);
    await third.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.context().close();
  }, 60_000);

  it('lets an analyst sign in, open the arms claim, record an assessment and see chart and history update', async () => {
    const page = await signedIn('analyst');
    await openArmsClaim(page);
    const points = await page.locator('#chart .point').count();
    const rows = await page.locator('#history tbody tr').count();
    expect(points).toBeGreaterThanOrEqual(3);
    expect(rows).toBe(points);
    // Both columns of evidence are shown side by side.
    expect(await page.locator('.for li blockquote').count()).toBeGreaterThan(0);
    expect(await page.locator('.against li blockquote').count()).toBeGreaterThan(0);

    await page.getByLabel('Probability in percent').fill('72');
    await expect(page.locator('#term').textContent()).resolves.toBe('likely');
    await page.getByLabel('Probability in percent').fill('12');
    await expect(page.locator('#term').textContent()).resolves.toBe('very unlikely');
    await page.getByLabel('Probability in percent').fill('72');
    await page.getByLabel('Rationale').fill('Browser test: customs data and the summit delegation.');
    await page.locator('.evidence-choices input').first().check();
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await page.locator('#history tbody tr').nth(rows).waitFor();
    expect(await page.locator('#chart .point').count()).toBe(points + 1);
    await expect(page.locator('#history tbody tr').last().textContent()).resolves.toContain('likely (72 %)');
    await expect(page.locator('#current').textContent()).resolves.toContain('Ana Lyst');
    // Saying so, and the keyboard focus on the new version.
    await expect(page.locator('#notice').textContent()).resolves.toBe(`Assessment version ${rows + 1} recorded: likely (72 %).`);
    expect(await page.evaluate(() => document.activeElement === document.querySelector('#history tbody tr:last-child'))).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/console-analyst-claim.png`, fullPage: true });
    await page.context().close();
  }, 60_000);

  it('shows a conflict without losing the typed text when someone else assessed first', async () => {
    const mine = await signedIn('analyst');
    const theirs = await signedIn('rival');
    await openArmsClaim(mine);
    await openArmsClaim(theirs);
    const rows = await mine.locator('#history tbody tr').count();

    const text = 'My careful reasoning, typed while someone else was faster.';
    await mine.getByLabel('Rationale').fill(text);
    await mine.getByLabel('Probability in percent').fill('30');

    await theirs.getByLabel('Rationale').fill('The rival got there first.');
    await theirs.getByRole('button', { name: 'Record assessment' }).click();
    await theirs.locator('#history tbody tr').nth(rows).waitFor();

    await mine.getByRole('button', { name: 'Record assessment' }).click();
    const conflict = mine.locator('#conflict');
    await conflict.getByText('Rival Analyst recorded version').waitFor();
    await expect(conflict.textContent()).resolves.toContain('The rival got there first.');
    expect(await mine.getByLabel('Rationale').inputValue()).toBe(text);
    expect(await mine.getByLabel('Probability in percent').inputValue()).toBe('30');
    await mine.screenshot({ path: `${ARTIFACTS}/console-conflict.png`, fullPage: true });

    await mine.getByRole('button', { name: /Submit mine as version/ }).click();
    await mine.locator('#history tbody tr').nth(rows + 1).waitFor();
    await expect(mine.locator('#history tbody tr').last().textContent()).resolves.toContain(text);
    await mine.context().close();
    await theirs.context().close();
  }, 60_000);

  it('shows viewers everything read-only, with no edit controls', async () => {
    const page = await signedIn('viewer');
    expect(await page.getByRole('button', { name: /Export/ }).count()).toBe(REPORT_FORMAT_NAMES.length);
    await openArmsClaim(page);
    expect(await page.locator('#assess, #add-evidence, #add-source').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Record assessment' }).count()).toBe(0);
    expect(await page.locator('#history tbody tr').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `${ARTIFACTS}/console-viewer.png`, fullPage: true });
    await page.context().close();
  }, 60_000);

  it('shows a question as an ACH matrix with the least inconsistent hypothesis marked', async () => {
    const page = await signedIn('viewer');
    await page.getByRole('link', { name: 'Questions' }).click();
    await page.getByRole('link', { name: 'What military support is China giving Russia?' }).click();
    await page.locator('#matrix').waitFor();
    expect(await page.locator('#matrix thead th').count()).toBe(4);
    expect(await page.locator('#matrix tbody tr').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('#matrix td.ach-II').count()).toBeGreaterThan(0);
    await expect(page.locator('#matrix tfoot').textContent()).resolves.toContain('(least inconsistent)');
    await page.screenshot({ path: `${ARTIFACTS}/console-ach-matrix.png`, fullPage: true });
    await page.context().close();
  }, 60_000);

  it('fits a 390 px phone on every page: no sideways scrolling, every column readable, chart labels legible', async () => {
    const page = await signedIn('analyst');
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.goto(`${base}/#/?q=arms`);
    await page.getByRole('link', { name: ARMS }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Each row stacks its cells, each named: the judgement is visible, not cut away.
    expect(await page.locator('#claims tbody tr').first().locator('td[data-label="Judgement"]').isVisible()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/console-phone-list.png`, fullPage: true });

    await page.getByRole('link', { name: ARMS }).click();
    await page.getByRole('heading', { name: ARMS }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    const analyst = page.locator('#history tbody tr').first().locator('td[data-label="Analyst"]');
    expect(await analyst.isVisible()).toBe(true);
    expect((await analyst.textContent())!.length).toBeGreaterThan(0);
    const labelHeight = await page.locator('.chart svg text').first().evaluate((text) => text.getBoundingClientRect().height);
    expect(labelHeight).toBeGreaterThanOrEqual(10);
    // Its labels, all inside the picture and none over another.
    const labels = await page.locator('#chart .band-label, #chart .tick, #chart .point text').evaluateAll((texts) => {
      const frame = texts[0].closest('svg')!.getBoundingClientRect();
      const boxes = texts.map((text) => text.getBoundingClientRect());
      return {
        inside: boxes.every((b) => b.left >= frame.left - 0.5 && b.right <= frame.right + 0.5),
        apart: boxes.every((a, i) => boxes.every((b, j) => i >= j || a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top)),
      };
    });
    expect(labels).toEqual({ inside: true, apart: true });
    await page.screenshot({ path: `${ARTIFACTS}/console-phone-claim.png`, fullPage: true });
    await page.locator('.chart').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/console-phone-chart.png` });

    await page.getByRole('link', { name: 'Questions' }).click();
    await page.getByRole('link', { name: 'What military support is China giving Russia?' }).click();
    await page.locator('#matrix').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/console-phone-question.png`, fullPage: true });
    await page.context().close();
  }, 60_000);

  it('works from the keyboard: skip link, shortcuts, titles that name the page, focus on each new page', async () => {
    const page = await signedIn('viewer');
    expect(await page.title()).toBe('Claims — Claimtrack');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.keyboard.type('arms');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/\?q=arms$/);
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1' && document.querySelectorAll('#claims tbody a').length > 0);
    await page.keyboard.press('j');
    const first = await page.evaluate(() => document.activeElement?.textContent);
    expect(first).toBe(await page.locator('#claims tbody a').first().textContent());
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(first);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1 }).filter({ hasText: first! }).waitFor();
    await page.waitForFunction((title) => document.title === title, `${first} — Claimtrack`);
    await page.keyboard.press('?');
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    // The skip link is the first stop of the page, and leads past the header.
    expect(await page.evaluate(() => document.querySelector('a[href], button:not([hidden]), input, select, textarea')?.id)).toBe('skip');
    await page.locator('#skip').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('view');
    await page.context().close();

    const analyst = await signedIn('analyst');
    await openArmsClaim(analyst);
    await analyst.keyboard.press('a');
    expect(await analyst.evaluate(() => document.activeElement?.id)).toBe('probability');
    await analyst.context().close();
  }, 60_000);

  it('travels in time: the list and a claim as they stood at the end of a day, read-only', async () => {
    const page = await signedIn('analyst');
    await page.getByLabel('Search').fill('arms Russia');
    await page.getByLabel('As of').fill('2022-01-01');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('heading', { name: 'Claims as of 2022-01-01' }).waitFor();
    const row = page.locator('#claims tbody tr', { has: page.getByRole('link', { name: ARMS }) });
    await expect(row.locator('td[data-label="Judgement"]').textContent()).resolves.toBe('very unlikely (10 %)');

    await page.getByRole('link', { name: ARMS }).click();
    await page.getByRole('heading', { name: ARMS }).waitFor();
    await page.getByLabel('As of').fill('2022-12-31');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#as-of-notice').waitFor();
    expect(await page.locator('#history tbody tr').count()).toBe(2);
    await expect(page.locator('#current').textContent()).resolves.toContain('version 2, 2022-09-15');
    expect(await page.locator('#assess').count()).toBe(0);
    await page.getByRole('link', { name: 'Now' }).click();
    await page.locator('#assess').waitFor();
    expect(await page.locator('#history tbody tr').count()).toBeGreaterThan(2);
    await page.context().close();
  }, 60_000);

  it('shows the page asked for last, even when the one before it is still loading', async () => {
    const page = await signedIn('viewer');
    const link = page.locator('#claims tbody a').first();
    const statement = await link.textContent();
    // Ask for a filtered list, and before it has loaded, open a claim from the list on screen.
    await page.getByLabel('Search').fill('arms');
    await page.route('**/claims?*q=arms*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue().catch(() => undefined);
    });
    await page.getByRole('button', { name: 'Apply' }).click();
    await link.click();
    await page.getByRole('heading', { level: 1, name: statement! }).waitFor();
    await page.waitForTimeout(800);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(statement);
    await page.context().close();
  }, 60_000);

  it('says why each version moved: the change from the one before, evidence cited anew or dropped, the rationale\'s edits', async () => {
    // Evidence no version cites yet, recorded before the page is opened.
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: ARMS } });
    const analystSession = await t.signIn('analyst');
    const source = await t.prisma.source.findFirstOrThrow({ where: { evidence: { some: { claimId: claim.id } } } });
    const quote = sentenceOf(source.fullText!);
    const fresh = (
      await t.http.post(`/claims/${claim.id}/evidence`).set('Authorization', analystSession.auth).send({ sourceId: source.id, stance: 'context', quote, credibility: 3 }).expect(201)
    ).body as { id: string };
    const page = await signedIn('analyst');
    await openArmsClaim(page);
    // The seed's history: 10 % (Dec 2021), 8 %, 35 %, 40 %.
    await expect(page.locator('#why-1 h3').textContent()).resolves.toContain('first assessment');
    await expect(page.locator('#why-2 h3').textContent()).resolves.toContain('▼ 2 pts from very unlikely (10 %)');
    await expect(page.locator('#why-3 h3').textContent()).resolves.toContain('Version 3: unlikely (35 %) — ▲ 27 pts from very unlikely (8 %)');
    expect(await page.locator('#why-3 .rationale ins').count()).toBeGreaterThan(0);
    // Newest first.
    expect(await page.locator('#why > li').first().getAttribute('id')).toBe(`why-${await page.locator('#history tbody tr').count()}`);

    const versions = await page.locator('#history tbody tr').count();
    await page.getByLabel('Probability in percent').fill('46');
    await page.getByLabel('Rationale').fill('Why-it-moved test: one new citation.');
    await page.locator(`.evidence-choices input[value="${fresh.id}"]`).check();
    await page.getByRole('button', { name: 'Record assessment' }).click();
    const entry = page.locator(`#why-${versions + 1}`);
    await entry.waitFor();
    const previous = await t.prisma.assessment.findFirstOrThrow({ where: { claimId: claim.id, version: versions } });
    const points = 46 - Math.round(previous.probability * 100);
    const move = points > 0 ? `▲ ${points}` : points < 0 ? `▼ ${-points}` : 'no change,';
    await expect(entry.locator('h3').textContent()).resolves.toContain(`${move} pts from`);
    await expect(entry.locator('h3').textContent()).resolves.toContain(`(${Math.round(previous.probability * 1000) / 10} %)`);
    await expect(entry.locator('.cited').textContent()).resolves.toContain(quote.slice(0, 40));
    await page.locator('#why').screenshot({ path: `${ARTIFACTS}/console-why-it-moved.png` });
    await page.context().close();
  }, 60_000);

  it('records a new claim, resolves it and re-opens it, and shows calibration', async () => {
    const page = await signedIn('analyst');
    await page.getByText('New claim', { exact: true }).click();
    await page.getByLabel('Statement').fill('Console test: a claim recorded from the list');
    await page.getByLabel('Topics (comma-separated)').fill('console, test');
    await page.getByRole('button', { name: 'Record claim' }).click();
    await page.getByRole('heading', { name: 'Console test: a claim recorded from the list' }).waitFor();
    await page.locator('#notice').filter({ hasText: 'Claim recorded.' }).waitFor();
    const id = page.url().split('/').at(-1)!;

    // The same statement again: a link to the one tracked, not a raw id.
    await page.goto(`${base}/#/`);
    await page.getByText('New claim', { exact: true }).click();
    await page.getByLabel('Statement').fill('console TEST — a claim recorded from the list!');
    await page.getByRole('button', { name: 'Record claim' }).click();
    await page.getByRole('link', { name: 'open it' }).click();
    await page.waitForURL(new RegExp(`#/claims/${id}$`));

    await page.getByLabel('Probability in percent').fill('20');
    await page.getByLabel('Rationale').fill('Before the outcome.');
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await page.locator('#notice').filter({ hasText: 'Assessment version 1 recorded' }).waitFor();
    await page.getByText('Record how it turned out').click();
    await page.getByLabel('Outcome').selectOption('true');
    // A resolution in the future is refused, saying why; today is when the truth became known.
    await page.getByLabel('Resolved on').fill('2099-01-01');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('#resolve-error').filter({ hasText: 'in the future' }).waitFor();
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('Resolved on').fill(today);
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('heading', { name: `Resolved true on ${today}` }).waitFor();
    expect(await page.locator('#assess').count()).toBe(0);
    expect((await t.prisma.claim.findUniqueOrThrow({ where: { id } })).status).toBe('resolved_true');

    await page.getByRole('link', { name: 'Track record' }).click();
    await page.getByRole('heading', { name: 'Track record' }).waitFor();
    const calibration = (await t.http.get('/calibration').set('Authorization', (await t.signIn('viewer')).auth).expect(200)).body;
    await expect(page.locator('#brier').textContent()).resolves.toBe(calibration.brierScore.toFixed(3));
    expect(await page.locator('#bands tbody tr').count()).toBe(7);
    // Every band with claims is a point with its interval on the chart; the team's forecasters are listed.
    expect(await page.locator('#calibration-chart .band-point').count()).toBe(calibration.bands.filter((b: { claims: number }) => b.claims > 0).length);
    expect(await page.locator('#forecasters tbody tr').filter({ hasText: "team's record" }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/page-track-record-1280.png`, fullPage: true });

    await page.goto(`${base}/#/claims/${id}`);
    await page.getByRole('button', { name: 'Re-open' }).click();
    await page.locator('#assess').waitFor();
    await page.locator('#notice').filter({ hasText: 'Re-opened' }).waitFor();
    expect((await t.prisma.claim.findUniqueOrThrow({ where: { id } })).status).toBe('open');
    await page.context().close();
  }, 60_000);

  it('comes back from a claim to the same place in the list, with the same rows', async () => {
    const analyst = await t.signIn('analyst');
    for (let i = 0; i < 55 - (await t.prisma.claim.count({ where: { archivedAt: null } })); i++) {
      await t.http.post('/claims').set('Authorization', analyst.auth).send({ statement: `Scroll test claim ${i}` }).expect(201);
    }
    const page = await signedIn('viewer');
    await page.getByRole('button', { name: 'Show 50 more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#claims tbody tr').length > 50);
    const rows = await page.locator('#claims tbody tr').count();
    const link = page.locator('#claims tbody a').nth(rows - 2);
    const statement = await link.textContent();
    await link.scrollIntoViewIfNeeded();
    const scrollY = await page.evaluate(() => window.scrollY);
    expect(scrollY).toBeGreaterThan(0);
    await link.click();
    await page.getByRole('heading', { level: 1, name: statement! }).waitFor();
    await page.goBack();
    await page.waitForFunction((n) => document.querySelectorAll('#claims tbody tr').length === n, rows);
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 5, scrollY);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(statement);
    await page.context().close();
  }, 60_000);

  it('shows every page at 1280 and at 390 px without sideways scrolling (screenshots in test/artifacts)', async () => {
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: ARMS } });
    const question = await t.prisma.question.findFirstOrThrow();
    const pages = { list: '#/', claim: `#/claims/${claim.id}`, audit: `#/claims/${claim.id}/audit`, sources: '#/sources', source: `#/sources/${(await t.prisma.source.findFirstOrThrow()).id}`, questions: '#/questions', question: `#/questions/${question.id}`, calibration: '#/calibration', inbox: '#/inbox', alerts: '#/alerts' };
    for (const width of [1280, 390]) {
      const page = await signedIn('analyst');
      await page.setViewportSize({ width, height: 900 });
      for (const [name, hash] of Object.entries(pages)) {
        await page.goto(`${base}/${hash}`);
        await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
        expect({ name, width, overflow: await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth) }).toEqual({
          name,
          width,
          overflow: 0,
        });
        await page.screenshot({ path: `${ARTIFACTS}/page-${name}-${width}.png`, fullPage: true });
      }
      await page.context().close();
      const signIn = await browser.newPage({ viewport: { width, height: 900 } });
      await signIn.goto(base);
      await signIn.getByRole('button', { name: 'Sign in' }).waitFor();
      await signIn.screenshot({ path: `${ARTIFACTS}/page-sign-in-${width}.png` });
      await signIn.close();
    }
  }, 90_000);

  it('shows every change to a claim: its own, its evidence\'s and its versions\', who and what moved', async () => {
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: ARMS } });
    const analyst = await t.signIn('analyst');
    await t.http.patch(`/claims/${claim.id}`).set('Authorization', analyst.auth).send({ description: 'Audit test: a new description.' }).expect(200);
    const page = await signedIn('viewer');
    await openArmsClaim(page);
    await page.getByRole('link', { name: 'Every change to this claim' }).click();
    await page.getByRole('heading', { name: `Changes to: ${ARMS}` }).waitFor();
    const total = (await t.http.get('/audit').query({ claimId: claim.id, limit: 1 }).set('Authorization', analyst.auth).expect(200)).body.total;
    expect(await page.locator('#audit tbody tr').count()).toBe(total);
    const actions = await page.locator('#audit td[data-label="What"]').allTextContents();
    expect(actions[0]).toBe('claim update');
    expect(actions).toEqual(expect.arrayContaining(['assessment create', 'evidence create', 'claim create']));
    await expect(page.locator('#audit tbody tr').first().locator('.changes').textContent()).resolves.toContain('description: – → Audit test: a new description.');
    await page.context().close();
  }, 60_000);

  it('shows sources with their text, their grade over time and the claims they bear on, and lets analysts regrade them', async () => {
    const source = await t.prisma.source.findFirstOrThrow({ where: { evidence: { some: {} } }, orderBy: { title: 'asc' } });
    const bearsOn = await t.prisma.claim.count({
      where: { archivedAt: null, OR: [{ appearances: { some: { sourceId: source.id } } }, { evidence: { some: { sourceId: source.id } } }] },
    });
    const page = await signedIn('analyst');
    await page.getByRole('link', { name: 'Sources', exact: true }).click();
    await page.getByRole('link', { name: source.title }).click();
    await page.getByRole('heading', { level: 1, name: source.title }).waitFor();
    expect(await page.locator('#bears-on li').count()).toBe(bearsOn);
    await expect(page.locator('#full-text').textContent()).resolves.toBe(source.fullText);
    const next = source.reliability === 'A' ? 'B' : 'A';
    await page.getByLabel('New grade').selectOption(next);
    await page.getByLabel('Why').fill('Console test: corroborated since.');
    await page.getByRole('button', { name: 'Regrade' }).click();
    await page.locator('#notice').filter({ hasText: `Regraded ${next}` }).waitFor();
    await expect(page.locator('#grades li').last().textContent()).resolves.toContain(`${next} (was ${source.reliability}), ${accounts.analyst.email} — Console test: corroborated since.`);
    expect((await t.prisma.source.findUniqueOrThrow({ where: { id: source.id } })).reliability).toBe(next);
    await page.context().close();
  }, 60_000);

  it('has no accessibility violations axe-core can find, on every page, for analysts and viewers', async () => {
    const violations: string[] = [];
    const check = async (page: Page, where: string) => violations.push(...(await axeViolations(page)).map((v) => `${where} — ${v}`));
    for (const role of ['analyst', 'viewer'] as const) {
      const page = await signedIn(role);
      await check(page, `${role}: claims list`);
      await openArmsClaim(page);
      await check(page, `${role}: claim`);
      await page.getByRole('link', { name: 'Every change to this claim' }).click();
      await page.locator('#audit').waitFor();
      await check(page, `${role}: claim changes`);
      await page.getByRole('link', { name: 'Questions' }).click();
      await page.getByRole('link', { name: 'What military support is China giving Russia?' }).waitFor();
      await check(page, `${role}: questions`);
      await page.getByRole('link', { name: 'What military support is China giving Russia?' }).click();
      await page.locator('#matrix').waitFor();
      await check(page, `${role}: question`);
      await page.getByRole('link', { name: 'Track record' }).click();
      await page.locator('#bands').waitFor();
      await check(page, `${role}: calibration`);
      await page.getByRole('link', { name: 'Sources', exact: true }).click();
      await page.locator('#sources').waitFor();
      await check(page, `${role}: sources`);
      await page.locator('#sources tbody a').first().click();
      await page.locator('#bears-on').waitFor();
      await check(page, `${role}: source`);
      await page.context().close();
    }
    const signIn = await browser.newPage();
    await signIn.goto(base);
    await signIn.getByRole('button', { name: 'Sign in' }).waitFor();
    await check(signIn, 'sign-in');
    expect(violations).toEqual([]);
    // The instrument itself: an unlabelled control is found.
    await signIn.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<input type="text">'));
    await check(signIn, 'planted');
    expect(violations.some((v) => v.startsWith('planted — label'))).toBe(true);
    await signIn.close();
  }, 90_000);

  it('labels every control and works on a tablet-sized screen', async () => {
    const page = await signedIn('analyst');
    await openArmsClaim(page);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/console-tablet.png`, fullPage: true });
    await page.context().close();
  }, 60_000);

  /** The rival's bearer header, signed in through the API. */
  async function rivalAuth(): Promise<string> {
    const res = await t.http.post('/auth/login').send({ email: accounts.rival.email, password: accounts.rival.password }).expect(200);
    return `Bearer ${res.body.accessToken}`;
  }

  it('shows what colleagues changed since the analyst last looked: then → now, who, and a marker on the row; opening the claim clears it', async () => {
    const page = await signedIn('analyst');
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: { not: ARMS }, archivedAt: null, resolvedAt: null, currentVersion: { gt: 0 } } });
    const before = claim.currentProbability!;
    const after = Math.round((before > 0.5 ? before - 0.12 : before + 0.12) * 1000) / 1000;
    await t.http
      .post(`/claims/${claim.id}/assessments`)
      .set('Authorization', await rivalAuth())
      .send({ probability: after, confidence: 'moderate', rationale: 'Moved by a colleague.', baseVersion: claim.currentVersion })
      .expect(201);
    const points = Math.round((after - before) * 100);
    const marker = points > 0 ? `▲ ${points} pts` : `▼ ${-points} pts`;

    await page.reload();
    const since = page.locator('#since li', { has: page.getByRole('link', { name: claim.statement, exact: true }) });
    await since.waitFor();
    const said = (await since.textContent())!.replace(/\s+/g, ' ');
    expect(said).toContain(marker);
    expect(said).toContain(`→ `);
    expect(said).toContain(`(${percent(after)})`);
    expect(said).toContain('Rival Analyst');
    const row = page.locator('#claims tbody tr', { has: page.getByRole('link', { name: claim.statement, exact: true }) });
    await expect(row.locator('.new').textContent()).resolves.toBe(`new ${marker}`);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/page-since-you-last-looked-1280.png` });

    // Every row shows its evidence counts, and the rows whose judgement and evidence disagree say so.
    const viewer = (await t.signIn('viewer')).auth;
    const shown = await page.locator('#claims tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.querySelector('a')!.getAttribute('href')!.split('/').at(-1)!, evidence: tr.querySelector('td[data-label="Evidence"]')!.textContent, gap: Boolean(tr.querySelector('.evidence-gap')) })),
    );
    const confidence = (await t.http.get('/confidence').query({ ids: shown.map((r) => r.id).join(','), limit: 500 }).set('Authorization', viewer).expect(200)).body.items as { claimId: string; gap: string | null }[];
    const claims = (await t.http.get('/claims').query({ ids: shown.map((r) => r.id).join(','), limit: 500 }).set('Authorization', viewer).expect(200)).body.items as { id: string; evidenceCounts: { supports: number; contradicts: number } }[];
    for (const r of shown) {
      const counts = claims.find((c) => c.id === r.id)!.evidenceCounts;
      expect(r).toEqual({ id: r.id, evidence: `${counts.supports} for · ${counts.contradicts} against`, gap: confidence.find((c) => c.claimId === r.id)!.gap !== null });
    }
    expect(shown.some((r) => r.gap)).toBe(true);

    // Opened, it is no longer news; marking all seen empties the list.
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/users/me/visits/${claim.id}`) && response.status() === 204),
      row.getByRole('link', { name: claim.statement, exact: true }).click(),
    ]);
    await page.getByRole('heading', { name: claim.statement }).waitFor();
    await page.goBack();
    await page.locator('#since').waitFor();
    expect(await since.count()).toBe(0);
    expect(await row.locator('.new').count()).toBe(0);
    if (await page.getByRole('button', { name: 'Mark all as seen' }).count()) {
      await page.getByRole('button', { name: 'Mark all as seen' }).click();
      await page.locator('#notice').filter({ hasText: 'All marked as seen' }).waitFor();
    }
    await expect(page.locator('#since').textContent()).resolves.toContain('Nothing new');
    await page.context().close();
  }, 60_000);

  it('charts every version with its number and value, where evidence arrived, gridlines and bands whose labels never overlap', async () => {
    const page = await signedIn('analyst');
    await openArmsClaim(page);
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: ARMS } });
    const viewer = (await t.signIn('viewer')).auth;
    const versions = (await t.http.get(`/claims/${claim.id}/assessments`).query({ limit: 500, sort: 'version' }).set('Authorization', viewer).expect(200)).body.items as { version: number; probability: number }[];
    const evidence = (await t.http.get(`/claims/${claim.id}/evidence`).query({ limit: 500 }).set('Authorization', viewer).expect(200)).body.items as unknown[];
    const points = page.locator('#chart .point');
    expect(await points.evaluateAll((gs) => gs.map((g) => g.textContent!.replace(/\s+/g, ' ').trim()))).toEqual(versions.map((v) => `v${v.version} ${percent(v.probability)}`));
    expect(await page.locator('#chart .arrival').count()).toBe(evidence.length);
    expect(await page.locator('#chart line').count()).toBeGreaterThanOrEqual(5);
    const apart = async (selector: string) => {
      const boxes = await page.locator(selector).evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom })));
      return boxes.every((a, i) => boxes.every((b, j) => i >= j || a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top));
    };
    expect(await apart('#chart .band-label, #chart .tick, #chart .point text')).toBe(true);
    expect(await apart('#chart .point circle')).toBe(true);
    // From the keyboard: a point is a stop, and Enter opens its version's account.
    await points.last().focus();
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.closest('li')?.id)).resolves.toBe(`why-${versions.at(-1)!.version}`);

    // Versions made minutes apart on one day stay apart, labels and all.
    const auth = await rivalAuth();
    const same = (await t.http.post('/claims').set('Authorization', auth).send({ statement: 'Console test: assessed twice in one day' }).expect(201)).body;
    for (const [i, probability] of [0.3, 0.32, 0.7].entries()) {
      await t.http.post(`/claims/${same.id}/assessments`).set('Authorization', auth).send({ probability, confidence: 'low', rationale: `Take ${i + 1}.`, baseVersion: i }).expect(201);
    }
    await page.goto(`${base}/#/claims/${same.id}`);
    await page.locator('#chart .point').nth(2).waitFor();
    expect(await apart('#chart .point circle')).toBe(true);
    expect(await apart('#chart .point text')).toBe(true);
    await page.locator('.chart').screenshot({ path: `${ARTIFACTS}/console-chart-same-day.png` });
    await page.context().close();
  }, 60_000);

  it('poses an ACH question from chosen claims and rates its cells; the scores follow the ratings', async () => {
    const page = await signedIn('analyst');
    await page.getByRole('link', { name: 'Questions' }).click();
    const title = 'Console test: where do the arms come from?';
    await page.getByLabel('Question', { exact: true }).fill(title);
    await page.getByRole('button', { name: 'Pose question' }).click();
    await page.locator('#question-error').filter({ hasText: 'hypothesisIds' }).waitFor();
    await page.getByLabel('Find claims').fill('arms');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Add hypothesis: ${ARMS}`, exact: true }).click();
    await page.locator('#found [data-choose]:not([disabled])').first().click();
    expect(await page.locator('#chosen li').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/page-new-question-1280.png`, fullPage: true });
    await page.getByRole('button', { name: 'Pose question' }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    await page.locator('#notice').filter({ hasText: 'Question posed' }).waitFor();
    const id = page.url().split('/').at(-1)!;

    const cells = page.locator('#matrix tbody tr').first().locator('select[data-claim]');
    await cells.nth(0).selectOption('CC');
    await cells.nth(1).selectOption('II');
    await page.locator('#matrix tbody tr').first().locator('select[data-relevance]').selectOption('high');
    await page.getByRole('button', { name: 'Save ratings' }).click();
    await page.locator('#notice').filter({ hasText: '2 rating(s) saved' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const viewer = (await t.signIn('viewer')).auth;
    const question = (await t.http.get(`/questions/${id}`).set('Authorization', viewer).expect(200)).body as {
      hypotheses: { claimId: string; inconsistencyScore: number }[];
      evidence: { ratings: { claimId: string; consistency: string; relevance: string }[] }[];
    };
    expect(question.evidence[0].ratings.map(({ claimId, consistency, relevance }) => ({ claimId, consistency, relevance }))).toEqual([
      { claimId: question.hypotheses[0].claimId, consistency: 'CC', relevance: 'high' },
      { claimId: question.hypotheses[1].claimId, consistency: 'II', relevance: 'high' },
    ]);
    const scores = await page.locator('#matrix tfoot td.score').evaluateAll((tds) => tds.map((td) => td.textContent!.split(' ')[0]));
    expect(scores).toEqual(question.hypotheses.map((h) => h.inconsistencyScore.toFixed(2)));
    expect(question.hypotheses[1].inconsistencyScore).toBeLessThan(0);
    await page.context().close();
  }, 60_000);

  it('paints list and claim pages from the service alone: no third-party request; first contentful paint recorded in test/artifacts', async () => {
    const page = await signedIn('analyst');
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) foreign.push(request.url());
    });
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: ARMS } });
    const paints: Record<string, number> = {};
    for (const [name, hash] of [['list', '#/'], ['claim', `#/claims/${claim.id}`]]) {
      // A fresh document each time (a hash change alone would not paint anew).
      await page.goto('about:blank');
      await page.goto(`${base}/${hash}`);
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      paints[name] = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    }
    expect(foreign).toEqual([]);
    expect(Object.values(paints).every((ms) => ms > 0)).toBe(true);
    await writeFile(`${ARTIFACTS}/console-paint.json`, `${JSON.stringify({ firstContentfulPaintMs: paints, at: new Date().toISOString() }, null, 2)}\n`);
    console.log(`First contentful paint: list ${paints.list.toFixed(0)} ms, claim ${paints.claim.toFixed(0)} ms`);
    await page.context().close();
  }, 60_000);

  it('runs a blind claim for two analysts: the second sees a count, not the first\'s estimate, until recording theirs; then both dots and the consensus', async () => {
    const rivalAuthHeader = await rivalAuth();
    const claim = (await t.http.post('/claims').set('Authorization', rivalAuthHeader).send({ statement: 'Console test: a blind claim for two analysts', blind: true }).expect(201)).body;
    const first = await signedIn('rival');
    await first.goto(`${base}/#/claims/${claim.id}`);
    await first.getByLabel('Your estimate (%)').fill('30');
    await first.getByLabel('Why', { exact: true }).fill('The first analyst thinks it unlikely.');
    await first.getByRole('button', { name: 'Record my estimate' }).click();
    await first.locator('#notice').filter({ hasText: 'Your estimate, version 1, is recorded' }).waitFor();
    expect(await first.locator('#team-chart .estimate-dot').count()).toBe(1);
    await first.context().close();

    const second = await signedIn('analyst');
    await second.goto(`${base}/#/claims/${claim.id}`);
    await second.locator('#blind-notice').waitFor();
    await expect(second.locator('#blind-notice').textContent()).resolves.toBe('Blind first: 1 colleague(s) have estimated — record yours to see theirs.');
    expect(await second.locator('#team-chart, #team-estimates, #team-rationales').count()).toBe(0);
    expect(await second.locator('#team').textContent()).not.toMatch(/30 %|first analyst thinks/);
    expect(await axeViolations(second)).toEqual([]);
    await second.screenshot({ path: `${ARTIFACTS}/console-team-blind.png`, fullPage: true, clip: await second.locator('#team').boundingBox().then((b) => b!) });

    await second.getByLabel('Your estimate (%)').fill('70');
    await second.getByLabel('Why', { exact: true }).fill('The second analyst thinks it likely.');
    await second.getByRole('button', { name: 'Record my estimate' }).click();
    await second.locator('#notice').filter({ hasText: 'Your estimate, version 1, is recorded' }).waitFor();
    expect(await second.locator('#team-chart .estimate-dot').count()).toBe(2);
    expect(await second.locator('#team-chart .consensus').count()).toBe(1);
    await expect(second.locator('#team-summary').textContent()).resolves.toMatch(/^Consensus roughly even chance \(50 %\) from 2 analyst\(s\), estimates 30 % to 70 %\. Dissent/);
    await second.getByText('Rationales').click();
    await expect(second.locator('#team-rationales').textContent()).resolves.toContain('The first analyst thinks it unlikely.');
    expect(await axeViolations(second)).toEqual([]);
    await second.locator('#team').screenshot({ path: `${ARTIFACTS}/console-team-consensus.png` });

    // The list filters on dissent and says which claims have it.
    await second.goto(`${base}/#/`);
    await second.getByLabel('Team dissent').check();
    await second.getByRole('button', { name: 'Apply' }).click();
    await second.waitForURL(/dissent=true/);
    // The filtered list, not the one it replaces.
    await second.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await second.getByRole('link', { name: claim.statement }).waitFor();
    const marks = await second.locator('#claims tbody tr').evaluateAll((rows) => rows.map((row) => Boolean(row.querySelector('.dissent-mark'))));
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every(Boolean)).toBe(true);
    await second.context().close();
  }, 60_000);
  it('groups evidence by origin ("3 reports, 1 origin"), shows the derivation chain on demand, and confirms a suggested attribution', async () => {
    const { auth } = await t.signIn('analyst');
    const post = async (path: string, body: object) => (await t.http.post(path).set('Authorization', auth).send(body).expect((res) => expect(res.status).toBeLessThan(300))).body;
    const claim = await post('/claims', { statement: 'A shipment of shells crossed the border in March', topics: ['provenance'] });
    const wire = await post('/sources', { title: 'Wire service dispatch', kind: 'news_report', reliability: 'B', fullText: 'Shells crossed the border in March, according to Ukrainian military intelligence.' });
    const sources = [wire];
    for (const title of ['Regional paper reprint', 'Translated digest']) sources.push(await post('/sources', { title, kind: 'news_report', reliability: 'C' }));
    const independent = await post('/sources', { title: 'Satellite imagery analysis', kind: 'analysis', reliability: 'B' });
    await post(`/sources/${sources[1].id}/derivations`, { derivedFromId: wire.id, kind: 'republishes' });
    await post(`/sources/${sources[2].id}/derivations`, { derivedFromId: sources[1].id, kind: 'translates' });
    await post('/originators', { name: 'Ukrainian military intelligence', kind: 'intelligence', aliases: ['HUR'] });
    await post(`/claims/${claim.id}/evidence`, { sourceId: wire.id, stance: 'supports', quote: 'Shells crossed the border in March', credibility: 2, diagnosticity: 3 });
    for (const source of sources.slice(1)) await post(`/claims/${claim.id}/evidence`, { sourceId: source.id, stance: 'supports', quote: 'Shells crossed the border.', credibility: 3, diagnosticity: 2 });
    await post(`/claims/${claim.id}/evidence`, { sourceId: independent.id, stance: 'supports', quote: 'Trucks seen at the crossing.', credibility: 2, diagnosticity: 2 });

    const page = await signedIn('analyst');
    await page.goto(`${base}/#/claims/${claim.id}`);
    await page.getByRole('heading', { name: 'Evidence for (4 reports, 2 origins)' }).waitFor();
    const origin = page.locator('#evidence-for .origin');
    expect(await origin.count()).toBe(1);
    await expect(origin.locator('.origin-head').textContent()).resolves.toBe('3 reports, 1 origin — 2 derivation link(s)');
    // The wire's own report is the strongest (B2, ×3): the two that repeat it are not counted.
    expect(await origin.locator('li.not-counted').count()).toBe(2);
    await expect(origin.locator('li:not(.not-counted) blockquote').textContent()).resolves.toBe('Shells crossed the border in March');
    await origin.getByText('How these sources are linked').click();
    const chain = await origin.locator('.chain li').allInnerTexts();
    expect(chain.map((line) => line.replace(/ \(recorded .*\)$/, ''))).toEqual(['Regional paper reprint republishes Wire service dispatch', 'Translated digest translates Regional paper reprint']);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#evidence-for').screenshot({ path: `${ARTIFACTS}/console-evidence-by-origin.png` });

    // The wire's sentence names the intelligence service: confirmed, the item is attributed to it.
    const suggestion = page.locator('#attribution-suggestions li').filter({ hasText: 'Ukrainian military intelligence' });
    await suggestion.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('#notice').filter({ hasText: 'Attributed to Ukrainian military intelligence' }).waitFor();
    await expect(page.locator('#evidence-for .origin .origin-head').textContent()).resolves.toBe('3 reports, 1 origin — attributed to Ukrainian military intelligence — 2 derivation link(s)');
    expect(await page.locator('#attribution-suggestions').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/page-claim-origins-1280.png`, fullPage: true });
    await page.context().close();
  }, 60_000);
  it('shows sources\' track records on the Track record page and applies a suggested grade in one click', async () => {
    const { auth } = await t.signIn('analyst');
    const source = (await t.http.post('/sources').set('Authorization', auth).send({ title: 'Track record wire', kind: 'news_report', reliability: 'E' }).expect(201)).body;
    for (let i = 0; i < 10; i++) {
      const claim = (await t.http.post('/claims').set('Authorization', auth).send({ statement: `Borne out ${i}` }).expect(201)).body;
      await t.http.post(`/claims/${claim.id}/evidence`).set('Authorization', auth).send({ sourceId: source.id, stance: 'supports', quote: 'It will happen.', credibility: 2 }).expect(201);
      await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', auth).send({ outcome: true, resolvedAt: new Date().toISOString() }).expect(200);
    }
    const page = await signedIn('analyst');
    await page.getByRole('link', { name: 'Track record' }).click();
    const row = page.locator('#sources-agreement tbody tr').filter({ hasText: 'Track record wire' });
    // 10 of 10 borne out: Beta(11, 1), mean 11/12 = 92 %, earning A.
    await expect(row.locator('td[data-label="Borne out"]').textContent()).resolves.toMatch(/^91\.7 %/);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#sources-agreement').screenshot({ path: `${ARTIFACTS}/console-track-record-sources.png` });
    await row.getByRole('button', { name: 'Apply A to Track record wire' }).click();
    await page.locator('#notice').filter({ hasText: 'Regraded A.' }).waitFor();
    expect((await t.prisma.source.findUniqueOrThrow({ where: { id: source.id } })).reliability).toBe('A');
    await expect(page.locator('#sources-agreement tbody tr').filter({ hasText: 'Track record wire' }).locator('td[data-label="Suggested"]').textContent()).resolves.toBe('–');
    await page.context().close();
  }, 60_000);

  it('lists weight sets with their held-out scores on the Track record page; an analyst fits, an admin activates', async () => {
    // An analyst asks for a fit: the seed's few resolved claims are not enough, and the page says how many are needed.
    const analyst = await signedIn('analyst');
    await analyst.getByRole('link', { name: 'Track record' }).click();
    await analyst.getByRole('button', { name: 'Fit to resolved claims' }).click();
    await analyst.locator('#notice').filter({ hasText: 'A fit needs at least 100 resolved claims' }).waitFor();
    expect(await analyst.getByRole('button', { name: /^Activate/ }).count()).toBe(0);
    await analyst.context().close();

    // A set fitted elsewhere (its scores as a fit stores them), shown beside the default; the admin activates it.
    const fitted = await t.prisma.weightSet.create({
      data: {
        kind: 'fitted', reliability: { A: 1, B: 0.7, C: 0.5, D: 0.3, E: 0.1, F: 0.4 }, credibility: { 1: 1, 2: 0.75, 3: 0.5, 4: 0.3, 5: 0.15, 6: 0.4 }, shrinkage: 0.6,
        converged: true, iterations: 7, trainingClaims: 1600, heldOutClaims: 400, heldOutLogScore: -0.5, baselineLogScore: -0.6,
      },
    });
    const page = await signedIn('admin');
    await page.getByRole('link', { name: 'Track record' }).click();
    const row = page.locator('#weight-sets tbody tr').filter({ hasText: `${fitted.version} (fitted)` });
    await expect(row.locator('td[data-label="Against the active set then"]').textContent()).resolves.toBe('-0.600 (+16.7 %)');
    await expect(row.locator('td[data-label="Trained on"]').textContent()).resolves.toBe('1600 claims (400 held out)');
    await expect(page.locator('#weight-sets tbody tr').filter({ hasText: '(default)' }).locator('td[data-label="State"]').textContent()).resolves.toBe('active');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#weight-sets').screenshot({ path: `${ARTIFACTS}/console-weight-sets.png` });
    await row.getByRole('button', { name: `Activate weight set ${fitted.version}` }).click();
    await page.locator('#notice').filter({ hasText: `Set ${fitted.version} is active` }).waitFor();
    await expect(page.locator('#weight-sets tbody tr').filter({ hasText: `${fitted.version} (fitted)` }).locator('td[data-label="State"]').textContent()).resolves.toBe('active');
    await page.screenshot({ path: `${ARTIFACTS}/page-track-record-1280.png`, fullPage: true });
    // Back to the default, so the other tests see the documented scale.
    const defaultSet = await t.prisma.weightSet.findFirstOrThrow({ where: { kind: 'default' } });
    await page.locator('#weight-sets tbody tr').filter({ hasText: '(default)' }).getByRole('button', { name: `Activate weight set ${defaultSet.version}` }).click();
    await page.locator('#notice').filter({ hasText: `Set ${defaultSet.version} is active` }).waitFor();
    await page.context().close();
  }, 60_000);

  it('imports a document chosen from disk or dropped, confirms its details, quotes a selected passage — the one selected, though its words occur twice — and a suggested sentence', async () => {
    const { auth } = await t.signIn('analyst');
    const claim = (await t.http.post('/claims').set('Authorization', auth).send({ statement: 'Officials in Astana denied the transit of drone parts' }).expect(201)).body;
    const restated = (await t.http.post('/claims').set('Authorization', auth).send({ statement: 'Freight records showed drone parts crossed the border by rail' }).expect(201)).body;
    const html = `<!doctype html><html lang="en"><head><title>Transit report</title><meta property="og:title" content="Drone parts in transit"><meta property="og:site_name" content="Steppe Courier">
      <script>document.body.innerHTML = 'hijacked'</script></head><body><nav>Home · World</nav><article><h1>Drone parts in transit</h1>
      <p>Customs officers in Astana said they had seen no drone parts. The ministry denied any knowledge of the transit in March, according to a statement.</p>
      <p>Two weeks later, freight records showed the parts had crossed the border by rail. The ministry denied any knowledge of the transit again, but analysts doubted it.</p>
      <p>The trade in dual-use goods through Central Asia has grown every year since the sanctions began, according to three independent monitors.</p></article></body></html>`;
    const page = await signedIn('analyst');
    await page.locator('header.bar').getByRole('link', { name: 'Sources', exact: true }).click();
    await page.getByRole('heading', { name: 'Import a document' }).waitFor();
    await page.locator('#import-file').setInputFiles({ name: 'transit.html', mimeType: 'text/html', buffer: Buffer.from(html) });
    await page.locator('#import-details').waitFor();
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Drone parts in transit');
    await expect(page.getByLabel('Outlet').inputValue()).resolves.toBe('Steppe Courier');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Reliability (Admiralty)').selectOption('B');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Drone parts in transit' }).waitFor();
    await page.locator('#full-text').waitFor();
    expect(await page.locator('#full-text').textContent()).not.toContain('hijacked');

    // Select the second "The ministry denied any knowledge of the transit", as an analyst does with the mouse.
    const phrase = 'The ministry denied any knowledge of the transit';
    await page.locator('#full-text').evaluate((element, words) => {
      const node = element.firstChild!;
      const text = node.textContent!;
      const second = text.indexOf(words, text.indexOf(words) + 1);
      const range = document.createRange();
      range.setStart(node, second);
      range.setEnd(node, second + words.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      element.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    }, phrase);
    await expect(page.locator('#quote-exact').textContent()).resolves.toBe(phrase);
    await page.getByLabel('Quote it as').selectOption('contradicts');
    await page.getByLabel('Claim (type to search)').fill('Astana');
    await page.locator('#quote-claims option').first().waitFor({ state: 'attached' });
    await page.getByLabel('Claim (type to search)').fill(claim.statement);
    await page.getByRole('button', { name: 'Quote', exact: true }).click();
    await page.locator('#notice').filter({ hasText: 'Quoted as evidence against the claim.' }).waitFor();
    const item = await t.prisma.evidence.findFirstOrThrow({ where: { claimId: claim.id }, include: { source: { select: { fullText: true } } } });
    const text = item.source.fullText!;
    expect(item).toMatchObject({ stance: 'contradicts', quote: phrase, quoteStart: text.lastIndexOf(phrase), quoteEnd: text.lastIndexOf(phrase) + phrase.length });
    await expect(page.locator('#full-text mark.quoted').getAttribute('title')).resolves.toBe(`evidence against: ${claim.statement}`);
    await expect(page.locator('#full-text mark.quoted').textContent()).resolves.toBe(phrase);
    // The text's sentences that bear on claims or look check-worthy; confirming one quotes the sentence for the claim.
    await expect(page.locator('#claim-suggestions').textContent()).resolves.toContain('Check-worthy');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/page-source-quoting-1280.png`, fullPage: true });
    await page.getByRole('button', { name: `Quote this sentence for ${restated.statement}` }).click();
    await expect(page.getByLabel('Quote it as').inputValue()).resolves.toBe('appearance');
    await page.getByRole('button', { name: 'Quote', exact: true }).click();
    await page.locator('#notice').filter({ hasText: 'Quoted as where the claim appears.' }).waitFor();
    const appearance = await t.prisma.claimAppearance.findFirstOrThrow({ where: { claimId: restated.id } });
    expect(appearance.quote).toBe('Two weeks later, freight records showed the parts had crossed the border by rail.');
    expect(Array.from(text).slice(appearance.quoteStart!, appearance.quoteEnd!).join('')).toBe(appearance.quote);

    // Dropping a file on the Sources page starts an import the same way.
    await page.locator('header.bar').getByRole('link', { name: 'Sources', exact: true }).click();
    await page.locator('#drop-zone').evaluate((zone) => {
      const data = new DataTransfer();
      data.items.add(new File(['# Rail freight note\n\nWagons were counted at the crossing on Monday.'], 'note.md', { type: 'text/markdown' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.locator('#import-details').waitFor();
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Rail freight note');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Rail freight note' }).waitFor();
    await expect(page.locator('#full-text').textContent()).resolves.toBe('Rail freight note\n\nWagons were counted at the crossing on Monday.');
    await page.context().close();
  }, 60_000);
  it('watches a claim: a colleague\'s band crossing comes to the inbox, with the unread count in the header; opening it reads it', async () => {
    const page = await signedIn('viewer');
    const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: { not: ARMS }, archivedAt: null, resolvedAt: null, currentVersion: { gt: 0 } }, orderBy: { createdAt: 'desc' } });
    await page.goto(`${base}/#/claims/${claim.id}`);
    await page.getByRole('heading', { name: claim.statement }).waitFor();
    const watch = page.getByRole('button', { name: 'Watch' });
    await watch.click();
    await page.getByRole('button', { name: 'Watching ★' }).waitFor();
    expect(await page.getByRole('button', { name: 'Watching ★' }).getAttribute('aria-pressed')).toBe('true');

    // A colleague moves it two bands; the viewer's inbox hears of it.
    const now = await t.prisma.claim.findUniqueOrThrow({ where: { id: claim.id } });
    const moved = now.currentProbability! > 0.5 ? 0.15 : 0.85;
    await t.http
      .post(`/claims/${claim.id}/assessments`)
      .set('Authorization', await rivalAuth())
      .send({ probability: moved, confidence: 'high', rationale: 'A colleague moved it.', baseVersion: now.currentVersion })
      .expect(201);
    await poll(() => t.prisma.inboxItem.count({ where: { event: { claimId: claim.id } } }), (n) => n === 1, 10_000);
    await page.goto(`${base}/#/`);
    await page.locator('header.bar').getByRole('link', { name: 'Inbox, 1 unread' }).waitFor();
    // The list can show the watched claims alone, this one among them.
    await page.getByLabel('Watched').check();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/watched=true/);
    await page.locator('#claims').getByRole('link', { name: claim.statement, exact: true }).waitFor();

    await page.locator('header.bar').getByRole('link', { name: 'Inbox, 1 unread' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    const item = page.locator('#inbox li').first();
    const said = (await item.textContent())!.replace(/\s+/g, ' ');
    expect(said).toContain('Assessment revised');
    expect(said).toContain(`(${percent(moved)})`);
    expect(said).toContain('Rival Analyst');
    expect(said).toContain('unread');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/console-inbox.png`, fullPage: true });

    await item.getByRole('link', { name: claim.statement }).click();
    await page.getByRole('heading', { name: claim.statement }).waitFor();
    await poll(() => t.prisma.inboxItem.count({ where: { readAt: null, event: { claimId: claim.id } } }), (n) => n === 0, 5_000);
    await page.goto(`${base}/#/inbox`);
    await page.getByText('0 unread of 1').waitFor();
    expect(await page.locator('header.bar').getByRole('link', { name: 'Inbox', exact: true }).count()).toBe(1);

    await page.goto(`${base}/#/alerts`);
    await page.getByRole('heading', { name: 'Alert rules' }).waitFor();
    expect(await page.locator('#rules tbody tr').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/console-alert-rules.png`, fullPage: true });
    await page.context().close();
  }, 60_000);
  it('shows a webhook rule\'s deliveries and sends it a test message from the rules page', async () => {
    const receiver = await webhookReceiver();
    try {
      const analystAuth = `Bearer ${(await t.http.post('/auth/login').send({ email: accounts.analyst.email, password: accounts.analyst.password }).expect(200)).body.accessToken}`;
      const claim = await t.prisma.claim.findFirstOrThrow({ where: { statement: { not: ARMS }, archivedAt: null, resolvedAt: null } });
      await t.http.post('/alert-rules').set('Authorization', analystAuth).send({ name: 'Console receiver', claimIds: [claim.id], events: ['claim.resolved'], webhookUrl: receiver.url }).expect(201);
      await t.http.put(`/claims/${claim.id}/resolution`).set('Authorization', analystAuth).send({ outcome: true, resolvedAt: new Date().toISOString() }).expect(200);
      await poll(async () => receiver.received.length, (n) => n === 1, 10_000);

      const page = await signedIn('analyst');
      await page.goto(`${base}/#/alerts`);
      await page.getByRole('heading', { name: 'Alert rules' }).waitFor();
      await page.getByRole('button', { name: 'Deliveries of Console receiver' }).click();
      const log = page.locator('#delivery-log tbody tr');
      await log.first().waitFor();
      expect((await log.first().textContent())!.replace(/\s+/g, ' ')).toMatch(/Resolved — claim delivered 1 200/);
      await page.getByRole('button', { name: 'Send a test message for Console receiver' }).click();
      await page.locator('#notice', { hasText: 'Test message delivered: the receiver answered 200.' }).waitFor();
      expect(receiver.received.map((m) => m.json.type)).toEqual(['claim.resolved', 'ping']);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/console-delivery-log.png`, fullPage: true });
      await page.context().close();
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
