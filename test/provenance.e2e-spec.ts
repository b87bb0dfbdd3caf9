import { randomUUID } from 'node:crypto';
import { fixtures, type Fixtures } from './support/fixtures.js';
import { poll } from './support/wait.js';
import { readCsvWithPython } from './support/python-csv.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Session = Awaited<ReturnType<TestApp['signIn']>>;

/** Every table provenance writes, to show that a refused request stored nothing. */
async function provenanceCounts(t: TestApp): Promise<Record<string, number>> {
  const [originators, names, derivations, attributed, weighings, audit] = await Promise.all([
    t.prisma.originator.count(),
    t.prisma.originatorName.count(),
    t.prisma.sourceDerivation.count(),
    t.prisma.evidence.count({ where: { originatorId: { not: null } } }),
    t.prisma.evidenceWeighing.count(),
    t.prisma.auditEvent.count(),
  ]);
  return { originators, names, derivations, attributed, weighings, audit };
}

describe('corroboration: each origin counts once', () => {
  let t: TestApp;
  let analyst: Session;
  let make: Fixtures;
  let key: string;
  beforeAll(async () => {
    t = await createTestApp();
    analyst = await t.signIn('analyst');
    make = fixtures(t, analyst.auth);
    const admin = await t.signIn('admin');
    key = (await t.http.post('/api-keys').set('Authorization', admin.auth).send({ name: 'provenance', scopes: ['read_confidence'] }).expect(201)).body.key;
  });
  afterAll(() => t.close());

  const confidence = async (claimId: string, asOf?: Date) =>
    (await t.http.get(`/claims/${claimId}/confidence${asOf ? `?asOf=${asOf.toISOString()}` : ''}`).set('X-API-Key', key).expect(200)).body;
  const derive = (sourceId: string, derivedFromId: string, kind = 'republishes') =>
    t.http.post(`/sources/${sourceId}/derivations`).set('Authorization', analyst.auth).send({ derivedFromId, kind });
  const originator = async (name: string, extra: Record<string, unknown> = {}) =>
    (await t.http.post('/originators').set('Authorization', analyst.auth).send({ name, kind: 'state_media', ...extra }).expect(201)).body as { id: string };
  /** Five sources graded C (no stored text), each with one supporting item: credibility 3, diagnosticity 3. */
  async function fiveReports(extra: Record<string, unknown> = {}) {
    const claim = await make.claim();
    const sources = [];
    const items = [];
    for (let i = 0; i < 5; i++) {
      const source = await make.source({ reliability: 'C', fullText: undefined, title: `Outlet ${i} ${claim.id}` });
      sources.push(source);
      items.push(await make.evidence(claim.id, source.id, { credibility: 3, diagnosticity: 3, quote: `Report ${i} repeats the line.`, ...extra }));
    }
    return { claim, sources, items };
  }

  it('counts five independent reports five times (p 0.878) and, once four derive from the fifth, once (p 0.598)', async () => {
    const { claim, sources } = await fiveReports();
    const independent = await confidence(claim.id);
    expect(independent.evidenceProbability).toBeCloseTo(0.878, 3);
    expect(Math.log(independent.evidenceProbability / (1 - independent.evidenceProbability))).toBeCloseTo(5 * 0.6 * 0.6 * Math.log(3), 9);
    expect(independent).toMatchObject({ supportingEvidence: 5, supportingOrigins: 5 });
    const before = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const source of sources.slice(1)) await derive(source.id, sources[0].id).expect(201);
    const derived = await confidence(claim.id);
    expect(derived.evidenceProbability).toBeCloseTo(0.598, 3);
    expect(Math.log(derived.evidenceProbability / (1 - derived.evidenceProbability))).toBeCloseTo(0.3955, 4);
    expect(derived).toMatchObject({ supportingEvidence: 5, supportingOrigins: 1 });
    // As of before the links, the five counted five times.
    expect((await confidence(claim.id, before)).evidenceProbability).toBeCloseTo(0.878, 3);
    // The grouped view: one origin of five, one counted.
    const origins = (await t.http.get(`/claims/${claim.id}/origins`).set('Authorization', analyst.auth).expect(200)).body;
    expect(origins.origins).toHaveLength(1);
    expect(origins.origins[0].items).toHaveLength(5);
    expect(origins.origins[0].items.filter((i: { counted: boolean }) => i.counted)).toHaveLength(1);
    expect(origins.origins[0].derivations).toHaveLength(4);
    expect(origins.supporting).toEqual({ items: 5, origins: 1 });
    // Reports say it too: CSV read by Python's csv module, Markdown in words, JSON per item.
    const csv = await t.http.get(`/reports/claims?format=csv&ids=${claim.id}`).set('Authorization', analyst.auth).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    const [row] = await readCsvWithPython(csv.body as Buffer);
    expect(row).toMatchObject({ supporting_evidence: '5', supporting_origins: '1', contradicting_origins: '0', evidence_probability: '0.598' });
    const markdown = (await t.http.get(`/reports/claims?format=md&ids=${claim.id}`).set('Authorization', analyst.auth).expect(200)).text;
    expect(markdown).toContain('for: 5 reports from 1 origin; against: 0 reports from 0 origins');
    expect(markdown.match(/not counted: its origin counts a stronger item/g)).toHaveLength(4);
    const json = (await t.http.get(`/reports/claims?format=json&ids=${claim.id}`).set('Authorization', analyst.auth).expect(200)).body;
    expect(json.claims[0].evidenceCounts).toEqual({ supporting: { items: 5, origins: 1 }, contradicting: { items: 0, origins: 0 } });
    // As of before the links, reports count the five as they were then.
    const then = (await t.http.get(`/reports/claims?format=json&ids=${claim.id}&asOf=${before.toISOString()}`).set('Authorization', analyst.auth).expect(200)).body;
    expect(then.claims[0]).toMatchObject({ evidenceCounts: { supporting: { items: 5, origins: 5 } }, evidenceProbability: expect.closeTo(0.878, 3) });
    // Each link is audited with who said so, and the links in force then are listed as of then.
    const links = (await t.http.get(`/sources/${sources[1].id}/derivations`).set('Authorization', analyst.auth).expect(200)).body.derivedFrom;
    expect(links).toMatchObject([{ derivedFromId: sources[0].id, kind: 'republishes', createdById: analyst.id }]);
    const admin = await t.signIn('admin');
    const trail = (await t.http.get(`/audit?entityId=${links[0].id}`).set('Authorization', admin.auth).expect(200)).body.items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['derivation.create']);
    expect((await t.http.get(`/sources/${sources[1].id}/derivations?asOf=${before.toISOString()}`).set('Authorization', analyst.auth).expect(200)).body.derivedFrom).toEqual([]);
  });

  it('follows derivation transitively, in either direction, and withdrawing a link splits the origin again', async () => {
    const { claim, sources } = await fiveReports();
    // A chain: 1 republishes 0, 2 translates 1, 3 quotes 2; 4 is quoted by 3 (the other way round).
    await derive(sources[1].id, sources[0].id).expect(201);
    await derive(sources[2].id, sources[1].id, 'translates').expect(201);
    await derive(sources[3].id, sources[2].id, 'quotes').expect(201);
    const last = (await derive(sources[3].id, sources[4].id, 'quotes').expect(201)).body;
    expect(await confidence(claim.id)).toMatchObject({ supportingOrigins: 1 });
    await t.http.delete(`/sources/${sources[3].id}/derivations/${last.id}`).set('Authorization', analyst.auth).expect(204);
    expect(await confidence(claim.id)).toMatchObject({ supportingOrigins: 2 });
    const links = (await t.http.get(`/sources/${sources[3].id}/derivations?includeWithdrawn=true`).set('Authorization', analyst.auth).expect(200)).body;
    expect(links.derivedFrom.map((l: { withdrawnAt: string | null }) => l.withdrawnAt !== null).sort()).toEqual([false, true]);
  });

  it('joins items attributed to one originator, weighs them by its own grade, and reweighs when it is regraded', async () => {
    const { claim, items } = await fiveReports();
    const tass = await originator('TASS', { aliases: ['ТАСС', 'Russian News Agency TASS'] });
    await t.http
      .post(`/claims/${claim.id}/evidence/attributions`)
      .set('Authorization', analyst.auth)
      .send({ attributions: items.slice(0, 3).map((item) => ({ evidenceId: item.id, originatorId: tass.id })) })
      .expect(200);
    // Three items one origin, two more independent: 3 × 0.36 × ln 3.
    expect((await confidence(claim.id)).supportingOrigins).toBe(3);
    const logOdds = (p: number) => Math.log(p / (1 - p));
    expect(logOdds((await confidence(claim.id)).evidenceProbability)).toBeCloseTo(3 * 0.36 * Math.log(3), 9);
    // Graded E of its own, TASS's line weighs 0.2 × 0.6 × ln 3 whatever carried it.
    const regraded = await t.http.patch(`/originators/${tass.id}`).set('Authorization', analyst.auth).send({ reliability: 'E' }).expect(200);
    expect(regraded.body).toMatchObject({ reliability: 'E', aliases: ['Russian News Agency TASS', 'ТАСС'] });
    expect(logOdds((await confidence(claim.id)).evidenceProbability)).toBeCloseTo((2 * 0.36 + 0.12) * Math.log(3), 9);
    const evidence = (await t.http.get(`/claims/${claim.id}/evidence/${items[0].id}`).set('Authorization', analyst.auth).expect(200)).body;
    expect(evidence).toMatchObject({ originatorId: tass.id, originatorName: 'TASS' });
    // Without its own grade, and with one item no longer attributed, the sources' grades count again.
    await t.http.delete(`/originators/${tass.id}/reliability`).set('Authorization', analyst.auth).expect(204);
    await t.http.post(`/claims/${claim.id}/evidence/attributions`).set('Authorization', analyst.auth).send({ attributions: [{ evidenceId: items[0].id }] }).expect(200);
    expect((await confidence(claim.id)).supportingOrigins).toBe(4);
    expect(logOdds((await confidence(claim.id)).evidenceProbability)).toBeCloseTo(4 * 0.36 * Math.log(3), 9);
  });

  it('merges originators, keeping the merged one as history; refuses a merge whose grades conflict', async () => {
    const { claim, items } = await fiveReports();
    const peskov = await originator('Dmitry Peskov', { kind: 'person', reliability: 'B' });
    const spokesman = await originator('Kremlin spokesman', { kind: 'government', reliability: 'C' });
    await make.evidence(claim.id, (await make.source({ fullText: undefined })).id, { quote: 'A sixth report.' });
    await t.http.patch(`/claims/${claim.id}/evidence/${items[0].id}`).set('Authorization', analyst.auth).send({ originatorId: peskov.id }).expect(200);
    await t.http.patch(`/claims/${claim.id}/evidence/${items[1].id}`).set('Authorization', analyst.auth).send({ originatorId: spokesman.id }).expect(200);
    expect((await confidence(claim.id)).supportingOrigins).toBe(6);
    const counts = await provenanceCounts(t);
    const refused = await t.http.post(`/originators/${spokesman.id}/merge`).set('Authorization', analyst.auth).send({ intoId: peskov.id }).expect(422);
    expect(refused.body.errors[0].field).toBe('reliability');
    expect(await provenanceCounts(t)).toEqual(counts);
    const survivor = await t.http.post(`/originators/${spokesman.id}/merge`).set('Authorization', analyst.auth).send({ intoId: peskov.id, reliability: 'B' }).expect(200);
    expect(survivor.body).toMatchObject({ id: peskov.id, reliability: 'B', aliases: ['Kremlin spokesman'] });
    expect((await confidence(claim.id)).supportingOrigins).toBe(5);
    const merged = (await t.http.get(`/originators/${spokesman.id}`).set('Authorization', analyst.auth).expect(200)).body;
    expect(merged).toMatchObject({ mergedIntoId: peskov.id, name: 'Kremlin spokesman' });
    // The alias now names the survivor; merging again is refused.
    await t.http.post('/originators').set('Authorization', analyst.auth).send({ name: 'KREMLIN  spokesman!', kind: 'person' }).expect(409);
    await t.http.post(`/originators/${spokesman.id}/merge`).set('Authorization', analyst.auth).send({ intoId: peskov.id }).expect(409);
    const trail = (await t.http.get(`/audit?entityId=${spokesman.id}`).set('Authorization', (await t.signIn('admin')).auth).expect(200)).body.items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['originator.create', 'originator.merge']));
  });

  it('refuses bad provenance with a 4xx naming the field, and stores nothing', async () => {
    const { claim, sources, items } = await fiveReports();
    const other = await make.claim();
    const elsewhere = await make.evidence(other.id, sources[0].id, { quote: 'Elsewhere.' });
    await derive(sources[1].id, sources[0].id).expect(201);
    await derive(sources[2].id, sources[1].id).expect(201);
    const counts = await provenanceCounts(t);
    const field = async (res: Promise<{ status: number; body: { errors?: { field: string }[] } }>, status: number) => {
      const answer = await res;
      if (answer.status !== status) throw new Error(JSON.stringify(answer.body));
      return answer.body.errors?.[0]?.field;
    };
    const itself = await derive(sources[0].id, sources[0].id);
    expect([itself.status, itself.body.errors?.[0]?.field, itself.body.detail]).toEqual([422, "derivedFromId", expect.any(String)]);
    expect(await field(derive(sources[0].id, sources[2].id), 422)).toBe('derivedFromId');
    expect(await field(derive(sources[0].id, randomUUID()), 422)).toBe('derivedFromId');
    await derive(sources[1].id, sources[0].id).expect(409);
    const unknown = randomUUID();
    expect(await field(t.http.patch(`/claims/${claim.id}/evidence/${items[0].id}`).set('Authorization', analyst.auth).send({ originatorId: unknown }), 422)).toBe('originatorId');
    expect(
      await field(
        t.http.post(`/claims/${claim.id}/evidence/attributions`).set('Authorization', analyst.auth).send({ attributions: [{ evidenceId: items[0].id }, { evidenceId: elsewhere.id }] }),
        422,
      ),
    ).toBe('attributions[1].evidenceId');
    expect(await field(t.http.post('/originators').set('Authorization', analyst.auth).send({ name: 'Nobody', kind: 'wizard' }), 400)).toBe('kind');
    expect(await provenanceCounts(t)).toEqual(counts);
  });

  it('shows a reweighing in updatedSince, in the feed with include=evidence, and on a second instance at once', async () => {
    const { claim, sources } = await fiveReports();
    const second = await createTestApp({}, t);
    try {
      const cached = await second.http.get(`/claims/${claim.id}/confidence`).set('X-API-Key', key).expect(200);
      expect(cached.body.supportingOrigins).toBe(5);
      const head = (await t.http.get('/confidence/changes?include=evidence&limit=1000').set('X-API-Key', key).expect(200)).body.nextCursor;
      const since = new Date().toISOString();
      await derive(sources[1].id, sources[0].id).expect(201);
      const seen = await poll(
        async () => (await second.http.get(`/claims/${claim.id}/confidence`).set('X-API-Key', key)).body,
        (body) => body.supportingOrigins === 4,
        5000,
      );
      expect(seen.supportingOrigins).toBe(4);
      const listed = (await t.http.get(`/claims?updatedSince=${encodeURIComponent(since)}`).set('Authorization', analyst.auth).expect(200)).body.items;
      expect(listed.map((c: { id: string }) => c.id)).toContain(claim.id);
      const feed = await poll(
        async () => (await t.http.get(`/confidence/changes?include=evidence,estimates&since=${head}`).set('X-API-Key', key).expect(200)).body,
        (body) => body.evidence.length > 0,
        5000,
      );
      expect(feed.evidence.at(-1)).toMatchObject({ claimId: claim.id, cause: 'derivation', supportingEvidence: 5, supportingOrigins: 4, changedBy: analyst.email });
      expect(feed.estimates).toEqual([]);
      // Without include=evidence the feed is as it always was.
      expect((await t.http.get(`/confidence/changes?since=${head}`).set('X-API-Key', key).expect(200)).body).not.toHaveProperty('evidence');
    } finally {
      await second.close();
    }
  });

  it('proposes a derivation for a republished text and an attribution from "according to …"; dismissed ones stay dismissed', async () => {
    const original = [
      'Officials in Beijing met their Russian counterparts on Tuesday to discuss the supply of components for drones and artillery shells,',
      'a meeting that neither government announced in advance and that several diplomats described as unusually long and detailed,',
      'according to US intelligence officials who spoke on condition of anonymity because they were not authorised to discuss the matter.',
    ].join(' ');
    const intelligence = await originator('US intelligence officials', { kind: 'unnamed_officials', aliases: ['American intelligence officials'] });
    const first = await make.source({ fullText: original, publishedOn: '2023-03-01' });
    const copy = await make.source({ fullText: `Newsletter. ${original} Subscribe for more.`, publishedOn: '2023-03-02' });
    const suggestions = (await t.http.get(`/derivation-suggestions?sourceId=${copy.id}`).set('Authorization', analyst.auth).expect(200)).body.items;
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]).toMatchObject({ sourceId: copy.id, derivedFromId: first.id, kind: 'republishes', status: 'open' });
    expect(suggestions[0].passage).toContain('supply of components for drones');
    const claim = await make.claim();
    const a = await make.evidence(claim.id, first.id, { quote: 'several diplomats described as unusually long and detailed' });
    const b = await make.evidence(claim.id, copy.id, { quote: 'to discuss the supply of components for drones' });
    expect((await confidence(claim.id)).supportingOrigins).toBe(2);
    // Confirmed, the link joins the two items (nothing was applied before).
    await t.http.post(`/derivation-suggestions/${suggestions[0].id}/confirm`).set('Authorization', analyst.auth).send({}).expect(200);
    expect((await confidence(claim.id)).supportingOrigins).toBe(1);
    await t.http.post(`/derivation-suggestions/${suggestions[0].id}/dismiss`).set('Authorization', analyst.auth).expect(409);
    // The quote's sentence names US intelligence officials: proposed, with the known originator.
    const proposed = (await t.http.get(`/claims/${claim.id}/evidence/attribution-suggestions`).set('Authorization', analyst.auth).expect(200)).body;
    expect(proposed.map((s: { evidenceId: string; originatorId: string }) => [s.evidenceId, s.originatorId]).sort()).toEqual([[a.id, intelligence.id], [b.id, intelligence.id]].sort());
    const forA = proposed.find((s: { evidenceId: string }) => s.evidenceId === a.id);
    const forB = proposed.find((s: { evidenceId: string }) => s.evidenceId === b.id);
    await t.http.post(`/claims/${claim.id}/evidence/attribution-suggestions/${forA.id}/confirm`).set('Authorization', analyst.auth).send({}).expect(200);
    expect((await t.http.get(`/claims/${claim.id}/evidence/${a.id}`).set('Authorization', analyst.auth).expect(200)).body.originatorId).toBe(intelligence.id);
    await t.http.post(`/claims/${claim.id}/evidence/attribution-suggestions/${forB.id}/dismiss`).set('Authorization', analyst.auth).expect(200);
    // Another claim's suggestion is not this claim's to decide.
    await t.http.post(`/claims/${(await make.claim()).id}/evidence/attribution-suggestions/${forB.id}/confirm`).set('Authorization', analyst.auth).send({}).expect(404);
    // A third text copying the first: proposed against it; re-storing the text after a dismissal proposes nothing again.
    const third = await make.source({ fullText: `${original} Analysis follows.`, publishedOn: '2023-03-05' });
    const again = (await t.http.get(`/derivation-suggestions?sourceId=${third.id}`).set('Authorization', analyst.auth).expect(200)).body.items;
    expect(again.map((s: { derivedFromId: string }) => s.derivedFromId).sort()).toEqual([first.id, copy.id].sort());
    for (const s of again) await t.http.post(`/derivation-suggestions/${s.id}/dismiss`).set('Authorization', analyst.auth).expect(200);
    await t.http.patch(`/sources/${third.id}`).set('Authorization', analyst.auth).send({ fullText: `${original} Analysis follows, revised.` }).expect(200);
    expect((await t.http.get(`/derivation-suggestions?sourceId=${third.id}`).set('Authorization', analyst.auth).expect(200)).body.items).toEqual([]);
    // A name no originator has yet: confirming records one, given its kind.
    const moscow = await make.source({ fullText: '“We will never do it,” said Foreign Ministry spokeswoman Maria Zakharova on Friday.' });
    const c = await make.evidence(claim.id, moscow.id, { quote: 'We will never do it' });
    const [unknown] = (await t.http.get(`/claims/${claim.id}/evidence/attribution-suggestions`).set('Authorization', analyst.auth).expect(200)).body.filter(
      (s: { evidenceId: string }) => s.evidenceId === c.id,
    );
    expect(unknown).toMatchObject({ originatorId: null, name: 'Foreign Ministry spokeswoman Maria Zakharova' });
    const noKind = await t.http.post(`/claims/${claim.id}/evidence/attribution-suggestions/${unknown.id}/confirm`).set('Authorization', analyst.auth).send({}).expect(422);
    expect(noKind.body.errors[0].field).toBe('kind');
    await t.http.post(`/claims/${claim.id}/evidence/attribution-suggestions/${unknown.id}/confirm`).set('Authorization', analyst.auth).send({ kind: 'person' }).expect(200);
    const found = (await t.http.get('/originators?q=zakharova').set('Authorization', analyst.auth).expect(200)).body.items;
    expect(found.map((o: { name: string; kind: string }) => [o.name, o.kind])).toEqual([['Foreign Ministry spokeswoman Maria Zakharova', 'person']]);
  });
});
