import { conflict, unprocessable } from '../common/problem.js';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { cursorAfter, orderByKeyset, rowsAfter, sortOrder, toPage, type Page } from '../common/pagination.js';
import { toDate } from '../common/query.js';
import { normalizeUrl } from '../common/url.js';
import { Transactions } from '../database/transactions.js';
import { SourcesRepository } from './sources.repository.js';
import { CorroborationService } from '../provenance/corroboration.service.js';
import { EchoService } from '../provenance/echo.service.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../database/transactions.js';
import { Prisma, type Source } from '../generated/prisma/client.js';
import type { DatePrecision } from '../generated/prisma/enums.js';
import type { WriteOptions } from '../common/write-options.js';
import type { CreateSourceDto } from './dto/create-source.dto.js';
import type { SourceQueryDto } from './dto/source-query.dto.js';
import { toSourceResponse, type SourceResponse } from './dto/source.response.js';
import type { UpdateSourceDto } from './dto/update-source.dto.js';
import type { QuoteAnchorColumns, SourceQuoteResponse } from './dto/quote-selector.dto.js';
import { anchorProblemText, anchorQuote, reanchor, type SelectorHint } from './text-anchor.js';

type Db = Prisma.TransactionClient;

function parsePublishedOn(value: string | undefined): { publishedOn?: Date | null; datePrecision?: DatePrecision } {
  if (value === undefined) return {};
  const [year, month, day] = value.split('-');
  const precision: DatePrecision = day ? 'day' : month ? 'month' : 'year';
  return { publishedOn: new Date(Date.UTC(Number(year), Number(month ?? 1) - 1, Number(day ?? 1))), datePrecision: precision };
}

const audited = (row: Source) => toSourceResponse(row);

@Injectable()
export class SourcesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly repository: SourcesRepository,
    private readonly corroboration: CorroborationService,
    private readonly echo: EchoService,
  ) {}

  async create(actor: Principal, input: CreateSourceDto, options: WriteOptions = {}): Promise<SourceResponse> {
    return this.prisma.$transaction((tx) => this.createIn(tx, actor, input, options));
  }

  /** Records a source in the caller's transaction (an import stores its file beside it). */
  async createIn(tx: Tx, actor: Principal, input: CreateSourceDto, { at }: WriteOptions = {}): Promise<SourceResponse> {
    const userId = actorId(actor);
    const url = input.url === undefined ? undefined : normalizeUrl(input.url);
    await this.assertUrlFree(tx, url);
    const row = await tx.source.create({
      data: {
        ...input,
        ...parsePublishedOn(input.publishedOn),
        url,
        createdById: userId,
        createdAt: at,
        updatedAt: at,
        ...(input.reliability ? { gradedById: userId, gradedAt: at ?? new Date() } : {}),
      },
    });
    await this.audit.record(tx, actor, { at, action: 'source.create', entityType: 'source', entityId: row.id, after: audited(row) });
    if (row.fullText) await this.echo.detect(tx, row);
    return toSourceResponse(row, { withFullText: true });
  }

  /** The quotes in force taken from a source, in text order: what its page highlights. */
  async quotes(id: string): Promise<SourceQuoteResponse[]> {
    await this.find(this.prisma, id);
    return (await this.repository.quotesOf(this.prisma, id))
      .filter((q) => !q.archived)
      .map(({ kind, id: quoteId, claimId, statement, stance, quote, quoteStart, quoteEnd, quotePrefix, quoteSuffix, driftedAt }) => ({
        kind, id: quoteId, claimId, statement, stance, quote, start: quoteStart, end: quoteEnd, quotePrefix, quoteSuffix, driftedAt,
      }));
  }

  /** Of those, the ones that drifted, oldest first: to be reviewed. */
  async driftedQuotes(id: string): Promise<SourceQuoteResponse[]> {
    return (await this.quotes(id)).filter((q) => q.driftedAt !== null).sort((a, b) => a.driftedAt!.getTime() - b.driftedAt!.getTime());
  }

  async get(id: string): Promise<SourceResponse> {
    return toSourceResponse(await this.find(this.prisma, id), { withFullText: true });
  }

  async list(query: SourceQueryDto): Promise<Page<SourceResponse>> {
    const where: Prisma.SourceWhereInput = {
      kind: query.kind,
      reliability: query.reliability,
      updatedAt: query.updatedSince ? { gte: toDate(query.updatedSince) } : undefined,
      archivedAt: query.includeArchived ? undefined : null,
      id: query.q ? { in: await this.repository.search(query.q) } : undefined,
    };
    const order = sortOrder(query.sort, { nullable: query.sort.endsWith('publishedOn') });
    const field = order.field as 'updatedAt' | 'publishedOn' | 'title';
    const [rows, total] = await Promise.all([
      this.prisma.source.findMany({
        where: { AND: [where, rowsAfter(query.cursor, order)] },
        orderBy: orderByKeyset(order),
        take: query.limit + 1,
        omit: { fullText: true },
      }),
      this.prisma.source.count({ where }),
    ]);
    return toPage(rows, total, query.limit, (row) => cursorAfter(order, row.id, row[field]), (row) => toSourceResponse({ ...row, fullText: null }));
  }

  async update(actor: Principal, id: string, input: UpdateSourceDto, { allowDrift = false } = {}): Promise<SourceResponse> {
    const userId = actorId(actor);
    return this.transactions.write(async (tx, changed) => {
      const before = await this.find(tx, id);
      const url = input.url === undefined ? undefined : normalizeUrl(input.url);
      if (url !== undefined && url !== before.url) await this.assertUrlFree(tx, url);
      if (input.fullText !== undefined && input.fullText !== before.fullText) await this.reanchorQuotes(tx, id, input.fullText, allowDrift);
      const regraded = input.reliability !== undefined && input.reliability !== before.reliability;
      const after = await tx.source.update({
        where: { id },
        data: {
          ...input,
          ...parsePublishedOn(input.publishedOn),
          url,
          ...(regraded ? { gradedById: userId, gradedAt: new Date() } : {}),
        },
      });
      await this.audit.record(tx, actor, { action: 'source.update', entityType: 'source', entityId: id, before: audited(before), after: audited(after) });
      // A new grade reweighs the evidence from this source: the claims whose evidence-weighted probability
      // moves count as changed (updatedSince, caches, the feed), as when their own evidence changes.
      if (regraded) {
        const claims = await this.corroboration.claimsCitingSources(tx, [id]);
        for (const claimId of (await this.corroboration.reweigh(tx, claims, { cause: 'source-grade', actor })).changed) changed('claims', claimId);
      }
      if (after.fullText !== before.fullText) await this.echo.detect(tx, after);
      return toSourceResponse(after, { withFullText: true });
    });
  }

  /** Archives by default; `hard` erases, refused while a claim or evidence refers to the source. */
  async remove(actor: Principal, id: string, hard: boolean): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = await this.find(tx, id);
      if (hard) {
        const [appearances, evidence, resolutions, derivations] = await Promise.all([
          tx.claimAppearance.count({ where: { sourceId: id } }),
          tx.evidence.count({ where: { sourceId: id } }),
          tx.claim.count({ where: { resolutionSourceId: id } }),
          tx.sourceDerivation.count({ where: { OR: [{ sourceId: id }, { derivedFromId: id }] } }),
        ]);
        if (appearances + evidence + resolutions + derivations > 0) {
          throw new ConflictException(
            `Source ${id} is referred to by ${appearances} appearance(s), ${evidence} evidence item(s) and ${derivations} derivation link(s); archive it instead.`,
          );
        }
        await tx.source.delete({ where: { id } });
        await this.audit.record(tx, actor, { action: 'source.delete', entityType: 'source', entityId: id, before: audited(before) });
        return;
      }
      if (before.archivedAt) return;
      const after = await tx.source.update({ where: { id }, data: { archivedAt: new Date() } });
      await this.audit.record(tx, actor, { action: 'source.archive', entityType: 'source', entityId: id, before: audited(before), after: audited(after) });
    });
  }

  /**
   * Pins a quote to its passage of the source's text (text-anchor.ts): the anchor columns to store
   * with it, all null when the source keeps no text; a 422 naming `field` when the quote is not in
   * the text, occurs more than once and nothing picks one, or is not at the position given.
   */
  async anchorQuote(db: Db, sourceId: string, quote: string, selector: SelectorHint = {}, field = 'quote'): Promise<Omit<QuoteAnchorColumns, 'quote'>> {
    const source = await db.source.findUnique({ where: { id: sourceId }, select: { fullText: true, archivedAt: true } });
    if (!source) throw unprocessable('sourceId', `source ${sourceId} does not exist`);
    if (source.archivedAt) throw unprocessable('sourceId', `source ${sourceId} is archived`);
    if (source.fullText === null) return { quotePrefix: null, quoteSuffix: null, quoteStart: null, quoteEnd: null, quoteDriftedAt: null };
    const anchor = anchorQuote(source.fullText, quote, selector);
    if ('problem' in anchor) throw unprocessable(anchor.problem === 'position-mismatch' ? field.replace(/quote$/, 'selector') : field, anchorProblemText(anchor));
    return { quotePrefix: anchor.prefix, quoteSuffix: anchor.suffix, quoteStart: anchor.start, quoteEnd: anchor.end, quoteDriftedAt: null };
  }

  /**
   * The source's quotes against its new text: each re-anchored where its exact text, prefix and
   * suffix are found once (a quote recorded while the source had no text: its exact text once),
   * the others drifted. Refused (422) when any would drift, unless `allowDrift`: then they are
   * marked for review (GET /sources/:id/drifted-quotes).
   */
  private async reanchorQuotes(db: Db, id: string, fullText: string, allowDrift: boolean): Promise<void> {
    const quoted = await this.repository.quotesOf(db, id);
    const placed = quoted.map((q) => {
      const anchor = q.quoteStart === null ? anchorQuote(fullText, q.quote) : reanchor(fullText, q.quote, { prefix: q.quotePrefix ?? '', suffix: q.quoteSuffix ?? '' });
      return { ...q, anchor: anchor && !('problem' in anchor) ? anchor : null };
    });
    const drifted = placed.filter((q) => q.anchor === null);
    if (drifted.length > 0 && !allowDrift) {
      throw unprocessable('fullText', `${drifted.length} quote(s) taken from this source would not be found once, with their context, in the new text; send allowDrift=true to keep the edit and review them`);
    }
    await this.repository.placeQuotes(db, placed.map((q) => ({ kind: q.kind, id: q.id, anchor: q.anchor })));
  }

  private async assertUrlFree(db: Db, url: string | undefined): Promise<void> {
    if (url === undefined) return;
    const existing = await db.source.findUnique({ where: { url }, select: { id: true } });
    if (existing) throw conflict(`A source with this URL already exists: ${existing.id}.`, { existingId: existing.id });
  }

  private async find(db: Db, id: string): Promise<Source> {
    const row = await db.source.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`Source ${id} not found.`);
    return row;
  }
}
