import type { CalibrationResponse } from '../../track-records/dto/track-record.response.js';
import type { QuestionResponse } from '../../questions/dto/question.response.js';
import type { AssessmentResponse } from '../../assessments/dto/assessment.response.js';
import { credibilityLabel } from '../../vocabulary/admiralty.js';
import { day, percent } from '../../vocabulary/display.js';
import { analystCells, calibrationLine, evidenceLine, observedText, provenanceNote, teamLine, type ReportClaim, type ReportEvidence, type ReportFormatter } from '../report.js';

/** Text as Markdown shows it literally: special characters escaped, line breaks kept inside table cells. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, '<br>');
}

const evidenceTable = (items: ReportEvidence[]) =>
  items.length === 0
    ? '_None._\n'
    : [
        '| Grade | Quote | Source | Diagnosticity |',
        '|---|---|---|---|',
        ...items.map(
          (e) => `| ${e.grade} (${credibilityLabel(e.credibility)}) | “${md(e.quote)}” | ${md(e.sourceTitle)} (reliability ${e.sourceReliability})${provenanceNote(e) ? ` — ${md(provenanceNote(e))}` : ''} | ×${e.diagnosticity} |`,
        ),
        '',
      ].join('\n');

const historyTable = (history: AssessmentResponse[]) =>
  [
    '| Version | Date | Probability | Term | Confidence | Analyst |',
    '|---|---|---|---|---|---|',
    ...history.map((h) => `| ${h.version} | ${day(h.createdAt)} | ${percent(h.probability)} | ${h.estimativeTerm} | ${h.confidence} | ${md(h.createdByName)} |`),
    '',
  ].join('\n');

function claimSection(claim: ReportClaim): string {
  const a = claim.assessment;
  const lines = [
    `## ${md(claim.statement)}`,
    '',
    `- **Status:** ${claim.status.replace('_', ' ')}`,
    a
      ? `- **Assessment:** ${a.estimativeTerm} (${percent(a.probability)}), ${a.confidence} confidence — version ${a.version}, ${day(a.createdAt)}, ${md(a.createdByName)}`
      : '- **Assessment:** not yet assessed',
    `- **Evidence implies:** ${md(evidenceLine(claim))}`,
    `- **Team:** ${teamLine(claim.team)}`,
    claim.topics.length ? `- **Topics:** ${claim.topics.map(md).join(', ')}` : '',
    claim.entities.length ? `- **Entities:** ${claim.entities.map(md).join(', ')}` : '',
    `- **Link:** <${claim.url}>`,
    '',
    a ? `> ${md(a.rationale)}\n` : '',
    `### Evidence for (${claim.evidenceFor.length})`,
    '',
    evidenceTable(claim.evidenceFor),
    `### Evidence against (${claim.evidenceAgainst.length})`,
    '',
    evidenceTable(claim.evidenceAgainst),
    '### Appears in',
    '',
    ...claim.appearances.map((p) => `- ${md(p.sourceTitle)}: “${md(p.quote)}”`),
    '',
    '### Sources',
    '',
    ...claim.sources.map((s) => `- ${md(s.title)} — ${s.kind.replace('_', ' ')}, reliability ${s.reliability}${s.publishedOn ? `, ${s.publishedOn}${s.dateInferred ? ' (inferred)' : ''}` : ''}`),
    '',
  ];
  if (claim.history.length) lines.push('### Assessment history', '', historyTable(claim.history));
  return lines.filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n') + '\n';
}

export const renderMarkdown: ReportFormatter = async function* (claims, meta) {
  yield `# ${md(meta.title)}\n\nGenerated ${meta.generatedAt.toISOString()}${meta.asOf ? `, as of ${meta.asOf.toISOString()}` : ''}.\n\n`;
  for await (const claim of claims) yield claimSection(claim) + '\n';
  for (const question of await meta.questions()) yield questionSection(question);
  yield calibrationSection(await meta.calibration());
};

/** The ACH matrix: evidence down, hypotheses across, weighted inconsistency at the foot. */
function questionSection(q: QuestionResponse): string {
  return [
    `## Question: ${md(q.title)}`,
    '',
    `| Evidence | ${q.hypotheses.map((h) => md(h.statement)).join(' | ')} |`,
    `|---|${q.hypotheses.map(() => '---').join('|')}|`,
    ...q.evidence.map(
      (row) =>
        `| “${md(row.quote)}” (${row.grade}${row.diagnostic ? '' : ', not diagnostic'}) | ${q.hypotheses
          .map((h) => row.ratings.find((r) => r.claimId === h.claimId)?.consistency ?? '–')
          .join(' | ')} |`,
    ),
    `| **Weighted inconsistency** | ${q.hypotheses.map((h) => h.inconsistencyScore.toFixed(2)).join(' | ')} |`,
    '',
  ].join('\n');
}

function calibrationSection(c: CalibrationResponse): string {
  return [
    '## Calibration',
    '',
    calibrationLine(c),
    '',
    '| Analyst | Claims | Brier score | Log score | Peer score | Coverage |',
    '|---|---|---|---|---|---|',
    ...c.analysts.map((a) => `| ${md(a.name)} | ${analystCells(a).join(' | ')} |`),
    '',
    '| Band | Claims | Mean forecast | Turned out true (95 % interval) |',
    '|---|---|---|---|',
    ...c.bands.map((b) => `| ${b.term} | ${b.claims} | ${b.meanProbability === null ? '–' : percent(b.meanProbability)} | ${observedText(b)} |`),
    '',
  ].join('\n');
}
