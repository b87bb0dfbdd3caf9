import { Injectable } from '@nestjs/common';
import { ClaimsRepository, type ClaimFilter, type ClaimOrder } from '../claims/claims.repository.js';
import { cursorAfter } from '../common/pagination.js';
import { ClaimViews } from '../claims/claim-views.service.js';
import { TrackRecordsService } from '../track-records/track-records.service.js';
import type { QuestionResponse } from '../questions/dto/question.response.js';
import { QuestionsService } from '../questions/questions.service.js';
import { CorroborationService } from '../provenance/corroboration.service.js';
import { weightedProbability } from '../analysis/evidence-weight.js';
import { estimativeTerm } from '../vocabulary/estimative.js';
import { groupBy } from '../common/group-by.js';
import { toDate } from '../common/query.js';
import { AppConfig } from '../config/app-config.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { consolePageOf } from '../common/url.js';
import { toSourceResponse } from '../sources/dto/source.response.js';
import type { ReportQueryDto } from './dto/report-query.dto.js';
import { day } from '../vocabulary/display.js';
import { REPORT_FORMATS, type ReportFormat } from '../vocabulary/report-formats.js';
import { renderCsv } from './formats/csv.js';
import { renderHtml } from './formats/html.js';
import { renderJson } from './formats/json.js';
import { renderJsonLd } from './formats/jsonld.js';
import { renderStix, type StixContext } from './formats/stix.js';
import { renderMarkdown } from './formats/markdown.js';
import type { ReportClaim, ReportFormatter, ReportMeta, ReportSource } from './report.js';
import { ReportsRepository } from './reports.repository.js';
import type { Principal } from '../auth/principal.js';
import { EstimatesRepository } from '../team/estimates.repository.js';
import { hiddenTeam, teamEstimates, toTeam } from '../team/dto/team.response.js';
import { teamsSeenBy } from '../team/team-access.js';

/**
 * Claim ids are listed this many at a time, and the claims read in batches of BATCH, at most READ_AHEAD ahead:
 * one batch read while one is rendered (three ahead kept more alive across collections, which V8 then promoted:
 * at 30,000 claims the JSON export's peak RSS grew about twice as much, and was no faster).
 */
const ID_PAGE = 1000;
const BATCH = 50;
const READ_AHEAD = 1;
/** Reports list claims most recently changed first. */
const REPORT_ORDER: ClaimOrder = { field: 'updatedAt', direction: 'desc' };

/** Who the TAXII publisher reads as: no one's team is shown to it (STIX carries no team). */
const PUBLISHER: Principal = { kind: 'apiKey', id: 'taxii-publisher', name: 'TAXII publisher', scopes: ['read_stix'] };

/** The formatter of each format in the vocabulary's table (which holds their media types and file names). */
const RENDERERS: Record<ReportFormat, ReportFormatter> = { json: renderJson, csv: renderCsv, md: renderMarkdown, html: renderHtml, jsonld: renderJsonLd, stix: renderStix };

@Injectable()
export class ReportsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: ReportsRepository,
    private readonly claimsRepository: ClaimsRepository,
    private readonly claims: ClaimViews,
    private readonly config: AppConfig,
    private readonly trackRecords: TrackRecordsService,
    private readonly questions: QuestionsService,
    private readonly estimates: EstimatesRepository,
    private readonly corroboration: CorroborationService,
  ) {}

  /** The deployment as an organisation (named after PUBLIC_BASE_URL's host; its id from the first account's), and everyone who may appear. */
  async stixContext(): Promise<StixContext> {
    const people = await this.repository.people();
    const host = this.config.publicBaseUrl ? new URL(this.config.publicBaseUrl).host : undefined;
    return {
      organisation: { id: people[0]?.id ?? 'none', name: host ? `Claimtrack (${host})` : 'Claimtrack', createdAt: people[0]?.createdAt ?? new Date(0) },
      people: new Map(people.map(({ id, name, createdAt }) => [id, { name, createdAt }])),
    };
  }

  private async allQuestions(): Promise<QuestionResponse[]> {
    const { items } = await this.questions.list({ limit: 500 });
    return Promise.all(items.map((question) => this.questions.get(question.id)));
  }

  /**
   * The report as text chunks, with the file name it should be saved under. Links to
   * claims start with PUBLIC_BASE_URL, else with `servedAt` (the address the request
   * reached), else with the address this service listens on.
   */
  report(
    query: ReportQueryDto,
    viewer: Principal,
    { now = new Date(), servedAt }: { now?: Date; servedAt?: string } = {},
  ): { chunks: AsyncIterable<string>; filename: string; contentType: string } {
    const asOf = toDate(query.asOf);
    // The link token opened the report; it is no filter, and has no place in the file.
    const { format, asOf: _, bom, token: __, ...filters } = query;
    const meta: ReportMeta = {
      title: 'Claimtrack claims report',
      generatedAt: now,
      asOf,
      filters,
      calibration: () => this.trackRecords.calibration(),
      questions: () => this.allQuestions(),
      bom,
      stix: () => this.stixContext(),
    };
    const base = this.config.publicBaseUrl ?? servedAt ?? this.config.listeningUrl;
    const render = RENDERERS[format];
    const { contentType, extension } = REPORT_FORMATS[format];
    const stamp = day(asOf ?? now);
    return {
      chunks: inBlocks(render(this.claimsFor(query, asOf, base, viewer), meta)),
      filename: `claimtrack-claims-${asOf ? 'as-of-' : ''}${stamp}.${extension}`,
      contentType,
    };
  }

  /**
   * The selected claims, most recently changed first, each with its evidence,
   * sources and history. Small batches, the next read while one is sent:
   * the database and the rendering work at the same time, and each batch is
   * garbage before the next collection, so memory stays flat.
   */
  async *claimsFor(query: ReportQueryDto, asOf: Date | undefined, base: string, viewer: Principal): AsyncGenerator<ReportClaim> {
    const sources = new Map<string, ReportSource>();
    const reading: Promise<ReportClaim[]>[] = [];
    for await (const ids of this.idPages(this.claims.listFilter(query, asOf))) {
      for (let start = 0; start < ids.length; start += BATCH) {
        const batch = this.batch(ids.slice(start, start + BATCH), asOf, sources, base, viewer);
        // Awaited in turn below; if the reader stops first, a failure must not go unhandled.
        batch.catch(() => undefined);
        reading.push(batch);
        if (reading.length > READ_AHEAD) yield* await reading.shift()!;
      }
    }
    for (const batch of reading) yield* await batch;
  }

  private async *idPages(filter: ClaimFilter): AsyncGenerator<string[]> {
    let cursor: string | undefined;
    do {
      const { rows } = await this.claimsRepository.page(filter, REPORT_ORDER, { cursor, limit: ID_PAGE, counted: false });
      if (rows.length > 0) yield rows.map((row) => row.id);
      cursor = rows.length === ID_PAGE ? cursorAfter(REPORT_ORDER, rows[ID_PAGE - 1].id, rows[ID_PAGE - 1].value) : undefined;
    } while (cursor);
  }

  /** These claims as reports show them now (those that exist), for a reader who sees no team: what the TAXII server publishes. */
  claimsById(ids: string[]): Promise<ReportClaim[]> {
    return this.batch(ids, undefined, new Map(), this.config.publicBaseUrl ?? this.config.listeningUrl, PUBLISHER);
  }

  /** Sources as reports show them, into `sources` (those not there yet). */
  async readSources(ids: string[], sources: Map<string, ReportSource>): Promise<void> {
    const unread = ids.filter((id) => !sources.has(id));
    if (unread.length === 0) return;
    const [rows, hashes] = await Promise.all([this.prisma.source.findMany({ where: { id: { in: unread } }, omit: { fullText: true } }), this.repository.textHashes(unread)]);
    for (const row of rows) {
      const { id, title, kind, outlet, author, url, publishedOn, dateInferred, reliability, createdAt, gradedAt } = toSourceResponse({ ...row, fullText: null });
      sources.set(id, { id, title, kind, outlet, author, url, publishedOn, dateInferred, reliability, createdAt, gradedAt, textSha256: hashes.get(id) ?? null });
    }
  }

  /** One batch of claims; `sources` keeps the sources read so far, as few reports cite many. */
  private async batch(ids: string[], asOf: Date | undefined, sources: Map<string, ReportSource>, base: string, viewer: Principal): Promise<ReportClaim[]> {
    const [claims, appearances, evidence, history, teams, weights] = await Promise.all([
      this.claims.rowsAt(ids, asOf),
      this.claims.appearancesOf(ids, asOf),
      this.repository.evidenceOf(ids, asOf),
      this.claimsRepository.histories(ids, asOf),
      this.repository.teamsOf(ids, asOf),
      this.corroboration.weightsAt(ids, asOf),
    ]);
    const teamOf = new Map(teams.map((team) => [team.claimId, team]));
    await this.readSources([...new Set([...appearances.map((a) => a.sourceId), ...evidence.map((e) => e.sourceId)])], sources);
    const byId = new Map(claims.map((claim) => [claim.id, claim]));
    const appearancesOf = groupBy(appearances, (a) => a.claimId);
    const evidenceOf = groupBy(evidence, (e) => e.claimId);
    const historyOf = groupBy(history, (a) => a.claimId);
    const built = ids.flatMap((id): ReportClaim[] => {
      const claim = byId.get(id);
      if (!claim) return [];
      const items = evidenceOf.get(id) ?? [];
      const versions = historyOf.get(id) ?? [];
      const appeared = appearancesOf.get(id) ?? [];
      const weight = weights.get(id)!;
      const evidenceProbability = weightedProbability(weight.logOdds, claim.priorProbability ?? undefined);
      const used = new Set([...appeared.map((a) => a.sourceId), ...items.map((e) => e.sourceId)]);
      const assessment = versions.at(-1) ?? null;
      const { blind, estimates } = teamOf.get(id) ?? { blind: false, estimates: [] };
      const team = toTeam(estimates, assessment?.probability ?? null, blind, this.config.consensusExtremizing);
      const latestEstimates = teamEstimates(estimates);
      return [{
        id,
        url: consolePageOf(base, id),
        statement: claim.statement,
        status: claim.status,
        topics: claim.topics,
        entities: claim.entities,
        createdAt: claim.createdAt,
        // The version in force is the newest of those made by the report's moment.
        assessment,
        evidenceProbability,
        evidenceTerm: estimativeTerm(evidenceProbability),
        evidenceCounts: {
          supporting: { items: weight.supportingItems, origins: weight.supportingOrigins },
          contradicting: { items: weight.contradictingItems, origins: weight.contradictingOrigins },
        },
        team,
        teamEstimates: latestEstimates,
        history: versions,
        evidenceFor: items.filter((e) => e.stance === 'supports'),
        evidenceAgainst: items.filter((e) => e.stance === 'contradicts'),
        context: items.filter((e) => e.stance === 'context'),
        appearances: appeared.map(({ sourceId, sourceTitle, quote }) => ({ sourceId, sourceTitle, quote })),
        sources: [...used].flatMap((sourceId) => sources.get(sourceId) ?? []),
      }];
    });
    // Blind first holds in reports too.
    const seen = await teamsSeenBy(
      viewer,
      built.map((claim) => ({ claimId: claim.id, facts: { blind: claim.team.blind, analysts: claim.team.analysts, recordAuthorId: claim.assessment?.createdById ?? null } })),
      (analystId, claimIds) => this.estimates.estimatedBy(analystId, claimIds),
    );
    return built.map((claim, i) => (seen[i] ? claim : { ...claim, team: hiddenTeam(claim.team), teamEstimates: [] }));
  }
}


/** Formatters yield a chunk per claim; sending them in blocks of about 64 KB saves a write (and a stream turn) per claim. */
async function* inBlocks(chunks: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<string> {
  let block: string[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    block.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield block.join('');
      block = [];
      length = 0;
    }
  }
  if (block.length > 0) yield block.join('');
}
