import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { BY_ID, cursorAfter, orderByKeyset, rowsAfter, toPage, type Page } from '../common/pagination.js';
import { conflict } from '../common/problem.js';
import { Transactions, type Tx } from '../database/transactions.js';
import { PrismaService } from '../database/prisma.service.js';
import type { DerivationSuggestion, Prisma } from '../generated/prisma/client.js';
import { DerivationsService } from './derivations.service.js';
import type { ConfirmDerivationDto, DerivationSuggestionQueryDto, DerivationSuggestionResponse } from './dto/suggestion.dto.js';
import { EchoRepository, type Proposal } from './echo.repository.js';
import { fingerprints, isEcho, passageText, REPUBLISHED_SHARE, sharedPassage, wordsOf } from './echo.js';

/** Candidates compared word by word per new text, those sharing the most fingerprints first. */
const MAX_CANDIDATES = 50;

export interface StoredText {
  id: string;
  fullText: string | null;
  publishedOn: Date | null;
  createdAt: Date;
}

const WITH_TITLES = { source: { select: { title: true } }, derivedFrom: { select: { title: true } } } as const;
type SuggestionRow = DerivationSuggestion & { source: { title: string }; derivedFrom: { title: string } };

const toSuggestionResponse = (row: SuggestionRow): DerivationSuggestionResponse => ({
  id: row.id,
  sourceId: row.sourceId,
  sourceTitle: row.source.title,
  derivedFromId: row.derivedFromId,
  derivedFromTitle: row.derivedFrom.title,
  kind: row.kind,
  passage: row.passage,
  sharedWords: row.sharedWords,
  status: row.status,
  decidedById: row.decidedById,
  decidedAt: row.decidedAt,
  createdAt: row.createdAt,
});

/** The later of two sources derives from the earlier (by publication date, else when they were recorded). */
const isLater = (a: StoredText, b: StoredText) => (a.publishedOn ?? a.createdAt).getTime() >= (b.publishedOn ?? b.createdAt).getTime();

/** Echo detection (see echo.ts): proposes derivations between sources that share long passages. */
@Injectable()
export class EchoService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly repository: EchoRepository,
    private readonly derivations: DerivationsService,
  ) {}

  /**
   * Indexes a source's text (when stored or changed, in the same transaction) and proposes
   * derivations with the sources it shares long passages with; answers how many it proposed.
   */
  async detect(tx: Tx, source: StoredText): Promise<number> {
    const words = wordsOf(source.fullText ?? '');
    const hashes = [...new Set(fingerprints(words))];
    await this.repository.index(tx, source.id, hashes);
    if (hashes.length === 0) return 0;
    const similar = await this.repository.candidates(tx, source.id, hashes, MAX_CANDIDATES);
    if (similar.length === 0) return 0;
    const candidates = await tx.source.findMany({
      where: { id: { in: similar } },
      select: { id: true, fullText: true, publishedOn: true, createdAt: true },
    });
    const proposals: Proposal[] = [];
    for (const other of candidates) {
      const otherWords = wordsOf(other.fullText ?? '');
      // Measured in the later text: what it took from the earlier.
      const [derived, original, derivedWords, originalWords] = isLater(source, other) ? [source, other, words, otherWords] : [other, source, otherWords, words];
      const shared = sharedPassage(derivedWords, originalWords);
      if (!isEcho(shared)) continue;
      const kind = shared.sharedWords >= REPUBLISHED_SHARE * derivedWords.words.length ? 'republishes' : 'quotes';
      proposals.push({ sourceId: derived.id, derivedFromId: original.id, kind, passage: passageText(derived.fullText!, derivedWords, shared), sharedWords: shared.sharedWords });
    }
    return this.repository.propose(tx, proposals);
  }

  async list(query: DerivationSuggestionQueryDto): Promise<Page<DerivationSuggestionResponse>> {
    const where: Prisma.DerivationSuggestionWhereInput = {
      status: query.status,
      ...(query.sourceId ? { OR: [{ sourceId: query.sourceId }, { derivedFromId: query.sourceId }] } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.derivationSuggestion.findMany({
        where: { AND: [where, rowsAfter(query.cursor, BY_ID)] },
        orderBy: orderByKeyset(BY_ID),
        take: query.limit + 1,
        include: WITH_TITLES,
      }),
      this.prisma.derivationSuggestion.count({ where }),
    ]);
    return toPage(rows, total, query.limit, (row) => cursorAfter(BY_ID, row.id), toSuggestionResponse);
  }

  /** Records the proposed derivation (reweighing what it joins) and marks the suggestion confirmed. */
  async confirm(actor: Principal, id: string, input: ConfirmDerivationDto): Promise<DerivationSuggestionResponse> {
    return this.transactions.write(async (tx, changed) => {
      const suggestion = await this.decide(tx, actor, id, 'confirmed');
      await this.derivations.link(tx, changed, actor, suggestion.sourceId, {
        derivedFromId: suggestion.derivedFromId,
        kind: input.kind ?? suggestion.kind,
        note: `Shared passage (${suggestion.sharedWords} words): ${suggestion.passage}`,
      });
      return suggestion;
    });
  }

  /** Dismisses a suggestion: the pair is not proposed again. */
  async dismiss(actor: Principal, id: string): Promise<DerivationSuggestionResponse> {
    return this.prisma.$transaction((tx) => this.decide(tx, actor, id, 'dismissed'));
  }

  /** Decides an open suggestion; the conditional update makes two decisions at once impossible (the second finds it decided). */
  private async decide(tx: Tx, actor: Principal, id: string, status: 'confirmed' | 'dismissed'): Promise<DerivationSuggestionResponse> {
    const { count } = await tx.derivationSuggestion.updateMany({ where: { id, status: 'open' }, data: { status, decidedById: actorId(actor), decidedAt: new Date() } });
    const after = await tx.derivationSuggestion.findUnique({ where: { id }, include: WITH_TITLES });
    if (!after) throw new NotFoundException(`Derivation suggestion ${id} not found.`);
    if (count === 0) throw conflict(`Suggestion ${id} was already ${after.status}.`);
    const response = toSuggestionResponse(after);
    const action = status === 'confirmed' ? 'confirm' : 'dismiss';
    await this.audit.record(tx, actor, { action: `derivation-suggestion.${action}`, entityType: 'derivation-suggestion', entityId: id, after: response });
    return response;
  }
}
