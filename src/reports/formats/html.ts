import type { AssessmentResponse } from '../../assessments/dto/assessment.response.js';
import { credibilityLabel } from '../../vocabulary/admiralty.js';
import { day, percent } from '../../vocabulary/display.js';
import { analystCells, calibrationLine, evidenceLine, observedText, provenanceNote, teamLine, type ReportClaim, type ReportEvidence, type ReportFormatter } from '../report.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const h = escapeHtml;

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-top:2px solid #333;padding-top:1rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
.meta{color:#444}.rating{font-weight:600}.bar{display:inline-block;width:10rem;height:.7rem;background:#ddd;vertical-align:middle;margin-left:.5rem}
.bar span{display:block;height:100%;background:#1f4e79}
.columns{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:.3rem .4rem;text-align:left;vertical-align:top}
blockquote{margin:.5rem 0;padding:.4rem .8rem;border-left:4px solid #1f4e79;background:#f3f6f9}
.for h3{color:#1b5e20}.against h3{color:#8b1a1a}
@media print{body{margin:0;max-width:none;font-size:11pt}section{break-inside:avoid-page}.columns{grid-template-columns:1fr 1fr}}
@media (max-width:700px){.columns{grid-template-columns:1fr}}`;

const evidenceList = (items: ReportEvidence[]) =>
  items.length === 0
    ? '<p>None.</p>'
    : `<ul>${items
        .map(
          (e) =>
            `<li><q>${h(e.quote)}</q><br><small>${h(e.sourceTitle)} · grade <abbr title="source reliability ${e.sourceReliability}, information ${h(credibilityLabel(e.credibility))}">${e.grade}</abbr> · diagnosticity ×${e.diagnosticity}${provenanceNote(e) ? ` · ${h(provenanceNote(e))}` : ''}</small></li>`,
        )
        .join('')}</ul>`;

const historyTable = (history: AssessmentResponse[]) =>
  `<table><thead><tr><th>Version</th><th>Date</th><th>Probability</th><th>Term</th><th>Confidence</th><th>Analyst</th></tr></thead><tbody>${history
    .map(
      (a) =>
        `<tr><td>${a.version}</td><td>${day(a.createdAt)}</td><td>${percent(a.probability)}</td><td>${a.estimativeTerm}</td><td>${a.confidence}</td><td>${h(a.createdByName)}</td></tr>`,
    )
    .join('')}</tbody></table>`;

function claimSection(claim: ReportClaim): string {
  const a = claim.assessment;
  return `<section>
<h2><a href="${h(claim.url)}">${h(claim.statement)}</a></h2>
<p class="meta">Status: ${h(claim.status.replace('_', ' '))}${claim.topics.length ? ` · Topics: ${h(claim.topics.join(', '))}` : ''}${claim.entities.length ? ` · Entities: ${h(claim.entities.join(', '))}` : ''}</p>
${
  a
    ? `<p class="rating">${h(a.estimativeTerm)} (${percent(a.probability)}), ${a.confidence} confidence<span class="bar" aria-hidden="true"><span style="width:${Math.round(a.probability * 100)}%"></span></span></p>
<p class="meta">Version ${a.version}, ${day(a.createdAt)}, ${h(a.createdByName)}</p>
<blockquote>${h(a.rationale)}</blockquote>`
    : '<p class="rating">Not yet assessed</p>'
}
<p class="meta">Evidence implies: ${h(evidenceLine(claim))}</p>
<p class="meta team">Team: ${h(teamLine(claim.team))}</p>
<div class="columns"><div class="for"><h3>Evidence for (${claim.evidenceFor.length})</h3>${evidenceList(claim.evidenceFor)}</div>
<div class="against"><h3>Evidence against (${claim.evidenceAgainst.length})</h3>${evidenceList(claim.evidenceAgainst)}</div></div>
<h3>Appears in</h3><ul>${claim.appearances.map((p) => `<li>${h(p.sourceTitle)}: <q>${h(p.quote)}</q></li>`).join('')}</ul>
<h3>Sources</h3><ul>${claim.sources
    .map((s) => `<li>${h(s.title)} — ${h(s.kind.replace('_', ' '))}, reliability ${s.reliability}${s.publishedOn ? `, ${h(s.publishedOn)}${s.dateInferred ? ' (inferred)' : ''}` : ''}</li>`)
    .join('')}</ul>
${claim.history.length ? `<h3>Assessment history</h3>${historyTable(claim.history)}` : ''}
</section>
`;
}

/** A self-contained, printable page: no scripts, no external assets. */
export const renderHtml: ReportFormatter = async function* (claims, meta) {
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(meta.title)}</title><style>${STYLE}</style></head>
<body><header><h1>${h(meta.title)}</h1><p class="meta">Generated ${meta.generatedAt.toISOString()}${meta.asOf ? `, as of ${meta.asOf.toISOString()}` : ''}</p></header>
<main>
`;
  for await (const claim of claims) yield claimSection(claim);
  for (const q of await meta.questions()) {
    yield `<section><h2>Question: ${h(q.title)}</h2><table><thead><tr><th>Evidence</th>${q.hypotheses.map((x) => `<th>${h(x.statement)}</th>`).join('')}</tr></thead><tbody>${q.evidence
      .map(
        (row) =>
          `<tr><td><q>${h(row.quote)}</q> (${h(row.grade)}${row.diagnostic ? '' : ', not diagnostic'})</td>${q.hypotheses
            .map((x) => `<td>${h(row.ratings.find((r) => r.claimId === x.claimId)?.consistency ?? '–')}</td>`)
            .join('')}</tr>`,
      )
      .join('')}</tbody><tfoot><tr><th>Weighted inconsistency</th>${q.hypotheses.map((x) => `<td>${x.inconsistencyScore.toFixed(2)}</td>`).join('')}</tr></tfoot></table></section>\n`;
  }
  const c = await meta.calibration();
  yield `<section><h2>Calibration</h2>
<p>${h(calibrationLine(c))}</p>
<table><thead><tr><th>Analyst</th><th>Claims</th><th>Brier score</th><th>Log score</th><th>Peer score</th><th>Coverage</th></tr></thead><tbody>${c.analysts
    .map((a) => `<tr><td>${h(a.name)}</td>${analystCells(a).map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>
<table><thead><tr><th>Band</th><th>Claims</th><th>Mean forecast</th><th>Turned out true (95 % interval)</th></tr></thead><tbody>${c.bands
    .map((b) => `<tr><td>${b.term}</td><td>${b.claims}</td><td>${b.meanProbability === null ? '–' : percent(b.meanProbability)}</td><td>${observedText(b)}</td></tr>`)
    .join('')}</tbody></table></section>
</main></body></html>
`;
};
