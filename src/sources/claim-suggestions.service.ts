import { Injectable, NotFoundException } from '@nestjs/common';
import { CachedLookup } from '../common/cached-lookup.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { searchConfig } from '../common/text-search.js';
import { bigrams, checkReasons, ClaimIndex, sentencesOf, usesBigrams } from './claim-suggestions.js';
import type { ClaimSuggestionsResponse } from './dto/claim-suggestions.response.js';
import { SourcesRepository } from './sources.repository.js';

/**
 * Claims suggested from a source's text (rules in claim-suggestions.ts). The claims' lexemes are
 * indexed once per language and kept until a claim changes.
 */
@Injectable()
export class ClaimSuggestionsService {
  private readonly indexes: CachedLookup<ClaimIndex>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: SourcesRepository,
    events: DatabaseEvents,
  ) {
    this.indexes = new CachedLookup(events, 'claims', { max: 20, ttl: 600_000, perKey: false });
  }

  async suggest(sourceId: string): Promise<ClaimSuggestionsResponse> {
    const source = await this.prisma.source.findUnique({ where: { id: sourceId }, select: { fullText: true, language: true } });
    if (!source) throw new NotFoundException(`Source ${sourceId} not found.`);
    const sentences = sentencesOf(source.fullText ?? '');
    const bigrammed = usesBigrams(source.language);
    const config = bigrammed ? 'bigrams' : searchConfig(source.language);
    const [index, lexemes] = await Promise.all([
      this.indexes.get(config, async () =>
        new ClaimIndex(
          bigrammed
            ? (await this.prisma.claim.findMany({ where: { archivedAt: null }, select: { id: true, statement: true } })).map((c) => ({ ...c, lexemes: bigrams(c.statement) }))
            : await this.repository.claimLexemes(config),
        ),
      ),
      bigrammed ? sentences.map((s) => bigrams(s.text)) : this.repository.lexemes(config, sentences.map((s) => s.text)),
    ]);
    return {
      sourceId,
      language: source.language,
      matching: bigrammed ? 'character bigrams' : `PostgreSQL text search, ${config}`,
      sentences: sentences
        .map((sentence, i) => ({ ...sentence, claims: index!.match(sentence.text, lexemes[i]), checkReasons: checkReasons(sentence.text, source.language) }))
        .filter((s) => s.claims.length > 0 || s.checkReasons.length > 0),
    };
  }
}
