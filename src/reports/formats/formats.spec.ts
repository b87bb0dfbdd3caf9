import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseHtml } from 'node-html-parser';
import type { AssessmentResponse } from '../../assessments/dto/assessment.response.js';
import { hiddenTeam, teamEstimates, toTeam } from '../../team/dto/team.response.js';
import type { ReportClaim, ReportEvidence, ReportFormatter, ReportMeta } from '../report.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJsonLd } from './jsonld.js';
import { renderMarkdown } from './markdown.js';

const STATEMENT = 'Tricky "quoted", comma\nsecond line <script>alert(1)</script> | pipe *star*';
const version = (n: number, probability: number): AssessmentResponse => ({
  id: `a${n}`,
  claimId: 'c1',
  version: n,
  probability,
  estimativeTerm: probability > 0.8 ? 'very likely' : 'unlikely',
  confidence: 'moderate',
  rationale: `Reason ${n}`,
  evidenceIds: [],
  createdById: 'u1',
  createdByName: 'Ana Lyst',
  createdAt: new Date(`2023-0${n}-01T00:00:00Z`),
});
const evidence = (stance: 'supports' | 'contradicts', quote: string): ReportEvidence => ({
  id: quote,
  claimId: 'c1',
  sourceId: 's1',
  sourceTitle: 'Коммерсантъ',
  selectors: [],
  quoteDriftedAt: null,
  sourceReliability: 'C',
  stance,
  quote,
  credibility: 2,
  grade: 'C2',
  diagnosticity: 3,
  observedAt: null,
  notes: null,
  createdById: 'u1',
  createdAt: '2023-01-01T00:00:00.000Z',
  updatedAt: '2023-01-01T00:00:00.000Z',
  archivedAt: null,
  originatorId: null,
  originatorName: null,
  originId: quote,
  counted: true,
});
const source = { id: 's1', title: 'Коммерсантъ', kind: 'news_report', outlet: null, author: null, url: 'https://example.org/a', publishedOn: '2023-01-01', dateInferred: false, reliability: 'C', createdAt: new Date('2023-01-01T00:00:00Z'), gradedAt: null, textSha256: null };
const SEEN = [
  { analystId: 'a1', analyst: 'Ana Lyst', version: 1, probability: 0.3, confidence: 'low', estimatedAt: '2023-02-01T00:00:00.000Z', weight: 1 },
  { analystId: 'a2', analyst: 'Bo Rival', version: 2, probability: 0.7, confidence: 'high', estimatedAt: '2023-02-02T00:00:00.000Z', weight: 1 },
];
const claim: ReportClaim = {
  id: 'c1',
  url: 'https://claimtrack.example.org/#/claims/c1',
  statement: STATEMENT,
  status: 'open',
  topics: ['arms'],
  entities: ['China'],
  createdAt: new Date('2023-01-01T00:00:00Z'),
  assessment: version(2, 0.85),
  evidenceProbability: 0.6,
  evidenceTerm: 'likely',
  evidenceCounts: { supporting: { items: 1, origins: 1 }, contradicting: { items: 2, origins: 2 } },
  history: [version(1, 0.25), version(2, 0.85)],
  evidenceFor: [evidence('supports', 'shipped | *parts*')],
  evidenceAgainst: [evidence('contradicts', 'denied'), evidence('contradicts', 'no deals')],
  context: [],
  appearances: [{ sourceId: 's1', sourceTitle: 'Коммерсантъ', quote: 'shipped' }],
  sources: [source as ReportClaim['sources'][number], { ...source, id: 's2', title: '中国日报' } as ReportClaim['sources'][number]],
  team: toTeam(SEEN, 0.85, false, 1),
  teamEstimates: teamEstimates(SEEN),
};
const unassessed: ReportClaim = { ...claim, id: 'c2', statement: 'Not assessed yet', assessment: null, history: [], team: hiddenTeam(claim.team), teamEstimates: [] };

const meta = (bom = true): ReportMeta => ({
  title: 'Claims',
  generatedAt: new Date('2024-01-01T00:00:00Z'),
  filters: {},
  bom,
  calibration: async () => ({ claims: 0, forecasts: 0, brierScore: null, logScore: null, murphy: null, analysts: [], bands: [], topics: [] }),
  questions: async () => [],
  stix: async () => ({ organisation: { id: 'u0', name: 'Claimtrack', createdAt: new Date('2022-01-01T00:00:00Z') }, people: new Map() }),
});

async function render(format: ReportFormatter, reportMeta = meta()): Promise<string> {
  async function* claims() {
    yield claim;
    yield unassessed;
  }
  let text = '';
  for await (const chunk of format(claims(), reportMeta)) text += chunk;
  return text;
}

describe('report formats', () => {
  it('CSV: a BOM, then one quoted record per claim, list cells one item per line', async () => {
    const text = await render(renderCsv);
    expect(text.startsWith('\uFEFFid,')).toBe(true);
    expect((await render(renderCsv, meta(false))).startsWith('id,')).toBe(true);
    const rows = parseCsv(text, { columns: true, bom: true, relax_quotes: false }) as Record<string, string>[];
    expect(rows.map((row) => row.statement)).toEqual([STATEMENT, 'Not assessed yet']);
    expect(rows[0].sources).toBe('Коммерсантъ [C]\n中国日报 [C]');
    expect(rows[0].history.split('\n')).toEqual(['v1 2023-01-01 0.25 unlikely (moderate, Ana Lyst)', 'v2 2023-02-01 0.85 very likely (moderate, Ana Lyst)']);
    expect(rows[1]).toMatchObject({ probability: '', version: '0' });
    // The team: consensus of 0.3 and 0.7 is 0.5 exactly; they are two bands apart; the record (0.85) three from the consensus.
    expect(rows[0]).toMatchObject({ team_consensus: '0.500', team_term: 'roughly even chance', team_analysts: '2', team_dissent: 'true', team_gap: 'record: very likely; team: roughly even chance' });
    expect(rows[0].team_estimates.split('\n')).toEqual(['Ana Lyst: 0.3 unlikely (low, v1)', 'Bo Rival: 0.7 likely (high, v2)']);
    expect(rows[1]).toMatchObject({ team_consensus: '', team_analysts: '2', team_dissent: '', team_estimates: '' });
    // Every line break inside a field is inside quotes: records end only at CRLF.
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('JSON: the claims as given, and the report\'s metadata', async () => {
    const report = JSON.parse(await render(renderJson));
    expect(report.claims.map((c: { statement: string }) => c.statement)).toEqual([STATEMENT, 'Not assessed yet']);
    expect(report.claims[0].team).toMatchObject({ consensus: 0.5, analysts: 2, dissent: true });
    expect(report).toMatchObject({ title: 'Claims', asOf: null, questions: [], calibration: { claims: 0 } });
  });

  it('JSON-LD: a ClaimReview per assessed claim, rated in percent with the ICD 203 term', async () => {
    const reviews = JSON.parse(await render(renderJsonLd));
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      '@type': 'ClaimReview',
      url: claim.url,
      claimReviewed: STATEMENT,
      datePublished: '2023-02-01',
      reviewRating: { ratingValue: 85, bestRating: 100, worstRating: 0, alternateName: 'very likely' },
    });
  });

  it('Markdown: a section per claim, with table cells escaped', async () => {
    const text = await render(renderMarkdown);
    expect(text.match(/^## /gm)).toHaveLength(3); // two claims, then calibration
    expect(text).toContain('\\| pipe \\*star\\*');
    expect(text).toContain('“shipped \\| \\*parts\\*”');
    expect(text).toContain(`<${claim.url}>`);
    expect(text).toContain('- **Team:** roughly even chance (50 %) from 2 analyst(s), estimates 30 % to 70 % — dissent — record: very likely; team: roughly even chance');
    expect(text).toContain('- **Team:** 2 analyst(s) have estimated; blind first, so their values are not shown to you yet');
  });

  it('HTML: one page, every text escaped, no script', async () => {
    const doc = parseHtml(await render(renderHtml));
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('h2').map((h) => h.textContent)).toEqual(expect.arrayContaining([STATEMENT, 'Not assessed yet']));
    expect(doc.querySelector('.rating')!.textContent).toContain('very likely (85 %)');
    expect(doc.querySelector('.team')!.textContent).toBe('Team: roughly even chance (50 %) from 2 analyst(s), estimates 30 % to 70 % — dissent — record: very likely; team: roughly even chance');
  });
});
