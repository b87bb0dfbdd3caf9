import type { AssessmentResponse } from '../assessments/dto/assessment.response.js';
import type { CalibrationResponse } from '../track-records/dto/track-record.response.js';
import type { EstimativeTerm } from '../vocabulary/estimative.js';
import { percent } from '../vocabulary/display.js';
import type { QuestionResponse } from '../questions/dto/question.response.js';
import type { EvidenceResponse } from '../evidence/dto/evidence.response.js';
import type { OriginTally } from '../provenance/dto/origins.response.js';
import type { SourceResponse } from '../sources/dto/source.response.js';
import type { TeamEstimate, TeamResponse } from '../team/dto/team.response.js';
import type { StixContext } from './formats/stix.js';

export type ReportSource = Pick<SourceResponse, 'id' | 'title' | 'kind' | 'outlet' | 'author' | 'url' | 'publishedOn' | 'dateInferred' | 'reliability' | 'createdAt' | 'gradedAt'> & {
  /** Hex SHA-256 of the source's text as stored (UTF-8), so a reader can check the quotes' context; null without text. */
  textSha256: string | null;
};

/** Evidence as the API answers it, its times as the ISO 8601 text they are printed as. */
export type ReportEvidence = Omit<EvidenceResponse, 'observedAt' | 'createdAt' | 'updatedAt' | 'archivedAt' | 'quoteDriftedAt'> & {
  observedAt: string | null;
  quoteDriftedAt: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
};

/** Everything a report says about one claim. */
export interface ReportClaim {
  id: string;
  /** The claim's page in the console. */
  url: string;
  statement: string;
  status: string;
  topics: string[];
  entities: string[];
  createdAt: Date;
  assessment: AssessmentResponse | null;
  /** What the evidence alone implies (see the API docs for the formula). */
  evidenceProbability: number;
  evidenceTerm: EstimativeTerm;
  /** Items and the independent origins among them, per stance: what the evidence-weighted probability counts. */
  evidenceCounts: { supporting: OriginTally; contradicting: OriginTally };
  /** The analysts' consensus, and each one's latest estimate (hidden on a blind claim from readers not entitled to it: no estimates then). */
  team: TeamResponse;
  teamEstimates: TeamEstimate[];
  /** Every version in force by the report's moment, oldest first. */
  history: AssessmentResponse[];
  evidenceFor: ReportEvidence[];
  evidenceAgainst: ReportEvidence[];
  context: ReportEvidence[];
  appearances: { sourceId: string; sourceTitle: string; quote: string }[];
  sources: ReportSource[];
}

export interface ReportMeta {
  title: string;
  generatedAt: Date;
  asOf?: Date;
  filters: Record<string, unknown>;
  /** How well calibrated the analysts have been, over all resolved claims. */
  calibration: () => Promise<CalibrationResponse>;
  /** Questions with competing hypotheses, as ACH matrices. */
  questions: () => Promise<QuestionResponse[]>;
  /** CSV only: start with a UTF-8 byte-order mark, so spreadsheet programs read the text as UTF-8. */
  bom: boolean;
  /** STIX only: the publishing organisation and the people who appear, as identities. */
  stix: () => Promise<StixContext>;
}

/** A formatter turns claims into text chunks, one claim at a time, so memory stays flat. */
export type ReportFormatter = (claims: AsyncIterable<ReportClaim>, meta: ReportMeta) => AsyncIterable<string>;


/** The team's judgement in a line: consensus, how many, spread and dissent, the gap to the record. */
export function teamLine(team: TeamResponse): string {
  if (team.hidden) return `${team.analysts} analyst(s) have estimated; blind first, so their values are not shown to you yet`;
  if (team.consensus === null) return 'no estimates yet';
  const spread = team.analysts > 1 ? `, estimates ${percent(team.min!)} to ${percent(team.max!)}` : '';
  return `${team.estimativeTerm} (${percent(team.consensus)}) from ${team.analysts} analyst(s)${spread}${team.dissent ? ' — dissent' : ''}${team.gap ? ` — ${team.gap}` : ''}`;
}


/** Items and origins in a phrase: "5 reports from 1 origin". */
export function originsPhrase({ items, origins }: OriginTally): string {
  return `${items} ${items === 1 ? 'report' : 'reports'} from ${origins} ${origins === 1 ? 'origin' : 'origins'}`;
}

/** What the evidence implies, and from how many independent origins. */
export function evidenceLine(claim: ReportClaim): string {
  const { supporting, contradicting } = claim.evidenceCounts;
  return `${claim.evidenceTerm} (${percent(claim.evidenceProbability)}) — for: ${originsPhrase(supporting)}; against: ${originsPhrase(contradicting)}`;
}

/** Who an item is attributed to, and whether its origin counts it. */
export function provenanceNote(item: ReportEvidence): string {
  return [item.originatorName ? `attributed to ${item.originatorName}` : '', item.counted ? '' : 'not counted: its origin counts a stronger item'].filter(Boolean).join('; ');
}

const score = (value: number | null) => (value === null ? '–' : value.toFixed(3));

/** The calibration's headline: how many claims, and the team's record's time-weighted scores. */
export function calibrationLine(c: CalibrationResponse): string {
  return `${c.claims} resolved claim(s), ${c.forecasts} version(s) of record before their resolution; time-weighted Brier score ${score(c.brierScore)}, ` +
    `log score ${score(c.logScore)} (0 is perfect; always 50 % scores 0.25 and −0.693).`;
}

/** An analyst's row of the calibration: claims, Brier, log, peer score, coverage. */
export const analystCells = (a: CalibrationResponse['analysts'][number]) =>
  [String(a.claims), score(a.brierScore), score(a.logScore), score(a.peerScore), a.coverage === null ? '–' : percent(a.coverage)];

/** A band's observed frequency with its Wilson 95 % interval. */
export const observedText = (b: CalibrationResponse['bands'][number]) =>
  b.observedFrequency === null ? '–' : `${percent(b.observedFrequency)} (${percent(b.low!)}–${percent(b.high!)})`;
