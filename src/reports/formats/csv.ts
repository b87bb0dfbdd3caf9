import { stringify } from 'csv-stringify/sync';
import { day } from '../../vocabulary/display.js';
import type { ReportClaim, ReportEvidence, ReportFormatter } from '../report.js';

const COLUMNS = [
  'id',
  'url',
  'statement',
  'status',
  'topics',
  'entities',
  'probability',
  'estimative_term',
  'confidence',
  'version',
  'evidence_probability',
  'evidence_term',
  'assessed_at',
  'assessed_by',
  'rationale',
  'supporting_evidence',
  'contradicting_evidence',
  'evidence_for',
  'evidence_against',
  'sources',
  'history',
  'team_consensus',
  'team_term',
  'team_analysts',
  'team_dissent',
  'team_gap',
  'team_estimates',
  'supporting_origins',
  'contradicting_origins',
];

const evidenceLines = (items: ReportEvidence[]) =>
  items.map((e) => `[${e.grade}, x${e.diagnosticity}] "${e.quote}" (${e.sourceTitle})`).join('\n');

function row(claim: ReportClaim): unknown[] {
  const a = claim.assessment;
  return [
    claim.id,
    claim.url,
    claim.statement,
    claim.status,
    claim.topics.join('; '),
    claim.entities.join('; '),
    a?.probability ?? '',
    a?.estimativeTerm ?? '',
    a?.confidence ?? '',
    a?.version ?? 0,
    claim.evidenceProbability.toFixed(3),
    claim.evidenceTerm,
    a ? a.createdAt.toISOString() : '',
    a?.createdByName ?? '',
    a?.rationale ?? '',
    claim.evidenceFor.length,
    claim.evidenceAgainst.length,
    evidenceLines(claim.evidenceFor),
    evidenceLines(claim.evidenceAgainst),
    claim.sources.map((s) => `${s.title} [${s.reliability}]`).join('\n'),
    claim.history.map((h) => `v${h.version} ${day(h.createdAt)} ${h.probability} ${h.estimativeTerm} (${h.confidence}, ${h.createdByName})`).join('\n'),
    claim.team.consensus?.toFixed(3) ?? '',
    claim.team.estimativeTerm ?? '',
    claim.team.analysts,
    claim.team.dissent === null ? '' : String(claim.team.dissent),
    claim.team.gap ?? '',
    claim.teamEstimates.map((e) => `${e.analyst}: ${e.probability} ${e.estimativeTerm} (${e.confidence}, v${e.version})`).join('\n'),
    claim.evidenceCounts.supporting.origins,
    claim.evidenceCounts.contradicting.origins,
  ];
}

/**
 * RFC 4180 through csv-stringify: CRLF between records, and every field holding a CR,
 * LF, quote or comma quoted. (csv-stringify quotes on its record delimiter, CRLF, only:
 * the bare LFs between the items of a list cell would otherwise split the record for
 * Python's csv module and spreadsheets.)
 */
const OPTIONS = { record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { number: String } } as const;

/** One row per claim; lists inside a cell are separated by line breaks. Starts with a UTF-8 BOM unless `meta.bom` is false. */
export const renderCsv: ReportFormatter = async function* (claims, meta) {
  yield stringify([COLUMNS], { ...OPTIONS, bom: meta.bom });
  for await (const claim of claims) yield stringify([row(claim)], OPTIONS);
};
