import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SeedService } from '../src/seed/seed.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const run = promisify(execFile);
const CLIENT = 'test/openapi-client';

/** The OpenAPI document as outside tools read it: Redocly's linter, and a client generated from it. */
describe('the OpenAPI document, read by outside tools', () => {
  let t: TestApp;
  let dir: string;
  let documentFile: string;
  beforeAll(async () => {
    t = await createTestApp();
    dir = await mkdtemp(join(tmpdir(), 'claimtrack-openapi-'));
    documentFile = join(dir, 'openapi.json');
    await writeFile(documentFile, (await t.http.get('/docs-json').expect(200)).text);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes Redocly CLI\'s recommended rules with no error and no warning', async () => {
    const { stdout } = await run('node_modules/.bin/redocly', ['lint', documentFile, '--config', 'test/redocly.yaml', '--format', 'json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout: string }) => error);
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it('generates a typed client (openapi-typescript + openapi-fetch) whose program type-checks and runs: sign in, list, confidence, assess, read a 409, estimate, read the team and what changed, keep an originator and read the claim\'s origins, page through its evidence, watch it and read the inbox', async () => {
    await run('node_modules/.bin/openapi-typescript', [documentFile, '--output', `${CLIENT}/api.d.ts`]);
    const typecheck = await run('node_modules/.bin/tsc', ['-p', `${CLIENT}/tsconfig.json`]).catch((error: { stdout: string }) => error);
    expect(typecheck.stdout).toBe('');

    await t.app.get(SeedService).seedContent();
    const analyst = await t.signIn('analyst');
    // Not a literal import: the project's own type-check must not follow it to api.d.ts, which only this test generates.
    const program = './openapi-client/program.js';
    const { run: client } = (await import(program)) as { run: (baseUrl: string, email: string, password: string) => Promise<Record<string, unknown> & { conflict: { detail: string } }> };
    const result = await client(await t.listen(), analyst.email, analyst.password);
    const open = { archivedAt: null, status: 'open' as const };
    const [claim] = await t.prisma.claim.findMany({ where: open, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], take: 1 });
    expect(result).toMatchObject({
      total: await t.prisma.claim.count({ where: open }),
      written: claim.currentVersion,
      conflict: { status: 409, currentVersion: claim.currentVersion },
      questionTitles: ['What military support is China giving Russia?'],
      estimate: { version: 1, term: 'unlikely' },
      team: { analysts: await t.prisma.estimate.count({ where: { claimId: claim.id, withdrawn: false } }), hidden: false },
      changes: 0,
      originator: { aliases: ['TCW'], duplicate: 409 },
      origins: { supporting: { items: await t.prisma.evidence.count({ where: { claimId: claim.id, stance: 'supports', archivedAt: null } }) }, matchesConfidence: true },
      evidence: {
        total: await t.prisma.evidence.count({ where: { claimId: claim.id, archivedAt: null } }),
        ids: (await t.prisma.evidence.findMany({ where: { claimId: claim.id, archivedAt: null }, orderBy: [{ diagnosticity: 'desc' }, { id: 'desc' }], select: { id: true } })).map(({ id }) => id),
      },
      watch: { inbox: true, webhookUrl: null, events: ['claim.resolved', 'assessment.band_crossed'] },
      inbox: { unread: 0, items: 0 },
    });
    expect(typeof (result.team as { consensus: unknown }).consensus).toBe('number');
    expect(result.conflict.detail).toMatch(/assessed since/);
  }, 60_000);
});
