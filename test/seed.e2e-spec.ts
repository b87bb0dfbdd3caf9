import { consensus } from '../src/analysis/consensus.js';
import { corroborate, type SourcedItem } from '../src/analysis/corroboration.js';
import { weightedProbability } from '../src/analysis/evidence-weight.js';
import { foldStatement } from '../src/common/text.js';
import { loadSeedData, readArticle, type SeedData } from '../src/seed/seed-data.js';
import { DEMO_ACCOUNTS, SeedService } from '../src/seed/seed.service.js';
import { rowCounts } from './support/fixtures.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('seed data', () => {
  let data: SeedData;
  let articles: Map<string, string>;
  beforeAll(async () => {
    data = await loadSeedData();
    articles = new Map(await Promise.all(data.sources.map(async (s) => [s.key, await readArticle(s.file)] as const)));
  });

  it('quotes every appearance and evidence item verbatim from its article', () => {
    const quotes = data.claims.flatMap((c) => [...c.appearances, ...c.evidence].map((q) => ({ claim: c.key, ...q })));
    const missing = quotes.filter((q) => !articles.get(q.source)!.includes(q.quote));
    expect(missing).toEqual([]);
    expect(quotes.length).toBeGreaterThan(160);
  });

  it('attributes items only as their text does: the originator is named in the quote or just before it', () => {
    const originators = new Map(data.originators.map((o) => [o.key, [o.name, ...(o.aliases ?? [])]]));
    const attributed = data.claims.flatMap((c) => [...c.appearances, ...c.evidence].filter((q) => q.originator).map((q) => ({ claim: c.key, ...q })));
    expect(attributed.length).toBeGreaterThanOrEqual(30);
    const ungrounded = attributed.filter((q) => {
      const text = articles.get(q.source)!;
      const at = text.indexOf(q.quote);
      // The quote with the paragraph before it: "…,” said Sun." and "he stressed" name their speaker nearby.
      const near = text.slice(Math.max(0, at - 400), at + q.quote.length + 200).toLowerCase();
      return !originators.get(q.originator!)!.some((name) => near.includes(name.toLowerCase().split(' ').at(-1)!));
    });
    expect(ungrounded).toEqual([]);
  });

  it('resolves only what a later article reports: the resolving article comes after the claim was first seen, and the note quotes it', () => {
    const resolved = data.claims.filter((c) => c.resolution);
    expect(resolved.map((c) => c.key).sort()).toEqual(['russia-invades', 'xi-third-term']);
    const at = new Map(data.sources.map((s) => [s.key, Date.parse(s.at)]));
    for (const claim of resolved) {
      const { source, note } = claim.resolution!;
      const firstSeen = Math.min(...[...claim.appearances, ...claim.evidence].map((q) => at.get(q.source)!));
      const quoted = [...note.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      expect({ claim: claim.key, later: at.get(source)! > firstSeen, quotesItsSource: quoted.length > 0 && quoted.every((q) => articles.get(source)!.includes(q)) }).toEqual({
        claim: claim.key, later: true, quotesItsSource: true,
      });
    }
  });

  it('tracks at least 40 claims and 120 evidence items, each claim with an appearance and an assessment', () => {
    expect(data.sources).toHaveLength(5);
    expect(data.claims.length).toBeGreaterThanOrEqual(40);
    expect(data.claims.flatMap((c) => c.evidence).length).toBeGreaterThanOrEqual(120);
    for (const claim of data.claims) {
      expect({ claim: claim.key, appearances: claim.appearances.length > 0, assessed: claim.assessments.length > 0 }).toEqual({
        claim: claim.key,
        appearances: true,
        assessed: true,
      });
    }
    expect(new Set(data.claims.map((c) => foldStatement(c.statement))).size).toBe(data.claims.length);
  });

  it('gives key claims two or three analysts\' estimates citing their evidence, with one dissent and one blind topic', () => {
    const estimated = data.claims.filter((c) => (c.estimates ?? []).length >= 2);
    expect(estimated.length).toBeGreaterThanOrEqual(4);
    for (const claim of estimated) {
      for (const e of claim.estimates!) {
        expect({ claim: claim.key, cites: e.evidence.length > 0 && e.evidence.every((i) => i < claim.evidence.length), dated: data.sources.some((s) => s.at === e.at) }).toEqual({ claim: claim.key, cites: true, dated: true });
      }
    }
    const dissenting = estimated.filter((c) => consensus(c.estimates!.map((e) => ({ probability: e.probability })))!.dissent);
    expect(dissenting.map((c) => c.key)).toContain('not-lose');
    expect(data.blindTopics.length).toBeGreaterThan(0);
    expect(estimated.some((c) => c.topics.some((topic) => data.blindTopics.includes(topic)))).toBe(true);
  });

  it('follows the arms claim from December 2021 through September 2022 to March 2023, with evidence both ways from three articles', () => {
    const arms = data.claims.find((c) => c.statement === 'China is supplying arms to Russia')!;
    const dates = arms.assessments.map((a) => a.at.slice(0, 7));
    expect(dates).toEqual(expect.arrayContaining(['2021-12', '2022-09', '2023-03']));
    expect([...dates].sort()).toEqual(dates);
    const articlesFor = (stance: string) => new Set(arms.evidence.filter((e) => e.stance === stance).map((e) => e.source));
    expect(new Set([...articlesFor('supports'), ...articlesFor('contradicts')]).size).toBeGreaterThanOrEqual(3);
    expect(articlesFor('supports').size).toBeGreaterThanOrEqual(2);
    expect(articlesFor('contradicts').size).toBeGreaterThanOrEqual(2);
  });
});

describe('seeding', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('loads through the services, and a second run creates and changes nothing', async () => {
    const seed = t.app.get(SeedService);
    await seed.seedContent();
    const once = await rowCounts(t);
    const data = await loadSeedData();
    expect(once).toMatchObject({
      sources: 5,
      claims: data.claims.length,
      evidence: data.claims.flatMap((c) => c.evidence).length,
      assessments: data.claims.flatMap((c) => c.assessments).length,
    });
    const estimates = await t.prisma.estimate.count();
    expect(estimates).toBe(data.claims.flatMap((c) => c.estimates ?? []).length);
    expect(await seed.counts()).toMatchObject({ originators: data.originators.length, attributed: data.claims.flatMap((c) => c.evidence).filter((e) => e.originator).length });
    const updatedAt = await t.prisma.claim.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } });
    await seed.seedContent();
    expect(await rowCounts(t)).toEqual(once);
    expect(await t.prisma.estimate.count()).toBe(estimates);
    expect(await t.prisma.originator.count()).toBe(data.originators.length);
    expect(await t.prisma.question.count()).toBe(1);
    expect(await t.prisma.achRating.count()).toBe(data.questions.flatMap((q) => q.ratings.flatMap((r) => Object.keys(r.ratings))).length);
    expect(await t.prisma.claim.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } })).toEqual(updatedAt);
  });

  it('keeps each claim\'s evidence weight as the corroboration rule counts the seeded attributions (and reports what moved)', async () => {
    const data = await loadSeedData();
    const grade = new Map(data.sources.map((s) => [s.key, s.reliability]));
    const stored = new Map((await t.prisma.claim.findMany({ select: { statementKey: true, evidenceLogOdds: true } })).map((c) => [c.statementKey, c.evidenceLogOdds]));
    const moved: string[] = [];
    for (const claim of data.claims) {
      const items = claim.evidence.map((e, i): SourcedItem => ({
        id: String(i).padStart(4, '0'), stance: e.stance, credibility: e.credibility, diagnosticity: e.diagnosticity, sourceId: e.source,
        sourceReliability: grade.get(e.source)!, originatorId: e.originator ?? null, originatorReliability: null, lineage: null,
      }));
      const counted = corroborate(items).logOdds;
      expect({ claim: claim.key, logOdds: stored.get(foldStatement(claim.statement)) }).toEqual({ claim: claim.key, logOdds: expect.closeTo(counted, 9) });
      const independent = corroborate(items.map((item) => ({ ...item, originatorId: null }))).logOdds;
      if (Math.abs(counted - independent) > 1e-9) moved.push(`${claim.key}: ${weightedProbability(independent).toFixed(3)} → ${weightedProbability(counted).toFixed(3)}`);
    }
    console.log(`Seeded evidence probabilities moved by attribution: ${moved.length ? moved.join('; ') : 'none (no two items of one stance share an originator)'}`);
  });

  it('serves the seeded claims through the API, dated as of their articles', async () => {
    const viewer = await t.signIn('viewer');
    const list = await t.http.get('/claims').query({ q: 'arms Russia', limit: 100 }).set('Authorization', viewer.auth).expect(200);
    const arms = list.body.items.find((c: { statement: string }) => c.statement === 'China is supplying arms to Russia');
    expect(arms.assessment.version).toBeGreaterThanOrEqual(3);
    expect(arms.evidenceCounts.supports).toBeGreaterThan(0);
    expect(arms.evidenceCounts.contradicts).toBeGreaterThan(0);
    const asOf2022 = await t.http.get(`/claims/${arms.id}`).query({ asOf: '2022-10-01T00:00:00Z' }).set('Authorization', viewer.auth).expect(200);
    expect(asOf2022.body.assessment.version).toBe(2);
    await t.http.get(`/claims/${arms.id}`).query({ asOf: '2021-01-01T00:00:00Z' }).set('Authorization', viewer.auth).expect(404);
    const questions = await t.http.get('/questions').set('Authorization', viewer.auth).expect(200);
    const matrix = await t.http.get(`/questions/${questions.body.items[0].id}`).set('Authorization', viewer.auth).expect(200);
    expect(matrix.body.hypotheses).toHaveLength(3);
    const [none, dualUse, lethal] = matrix.body.hypotheses.map((h: { inconsistencyScore: number }) => h.inconsistencyScore);
    expect(dualUse).toBeGreaterThan(none);
    expect(dualUse).toBeGreaterThan(lethal);
    expect(matrix.body.evidence.filter((e: { diagnostic: boolean }) => !e.diagnostic)).toHaveLength(1);
    const calibration = await t.http.get('/calibration').set('Authorization', viewer.auth).expect(200);
    expect(calibration.body).toMatchObject({ claims: 1, forecasts: 1 });
    expect(calibration.body.brierScore).toBeCloseTo(0.36, 10); // the invasion claim: 40 % in December 2021, then it happened
    // The team: dissent on "China will not let Russia lose", and the blind peace-plan topic hidden from an analyst who has not estimated.
    const teams = (await t.http.get('/confidence').query({ limit: 500 }).set('Authorization', (await t.signIn('analyst')).auth).expect(200)).body.items as {
      statement: string;
      team: { dissent: boolean | null; hidden: boolean; blind: boolean; analysts: number; gap: string | null };
    }[];
    const team = (statement: string) => teams.find((c) => c.statement === statement)!.team;
    expect(team('China will not let Russia lose the war in Ukraine')).toMatchObject({ dissent: true, analysts: 2, gap: 'record: likely; team: roughly even chance' });
    expect(team('China is acting as a sincere mediator in the war in Ukraine')).toMatchObject({ blind: true, hidden: true, analysts: 2 });
    expect(team('China is supplying arms to Russia')).toMatchObject({ analysts: 3, dissent: false, hidden: false });
    const history = await t.http.get(`/claims/${arms.id}/assessments`).set('Authorization', viewer.auth).expect(200);
    expect(history.body.items.every((a: { evidenceIds: string[]; rationale: string }) => a.evidenceIds.length > 0 && a.rationale.length > 50)).toBe(true);
  });

  it('makes demo accounts with the given password and key, only once', async () => {
    const seed = t.app.get(SeedService);
    const key = 'ct_demo1234_' + 'k'.repeat(43);
    const created = await seed.seedDemoAccounts('demo-password-long', key);
    expect(created.accounts.map((a) => a.email)).toEqual(DEMO_ACCOUNTS.map((a) => a.email));
    expect(created.apiKey).toBe(key);
    expect(await seed.seedDemoAccounts('demo-password-long', key)).toEqual({ accounts: [] });
    await t.http.post('/auth/login').send({ email: 'analyst@claimtrack.local', password: 'demo-password-long' }).expect(200);
    const seededAnalyst = await t.http.post('/auth/login').send({ email: 'seed.analyst1@claimtrack.local', password: 'anything-at-all' });
    expect(seededAnalyst.status).toBe(401);
  });
});
