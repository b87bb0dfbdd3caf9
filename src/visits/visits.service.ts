import { Injectable, NotFoundException } from '@nestjs/common';
import { cursorAfter, fitsColumn, readCursor, toPage, type KeysetOrder, type Page, type PageQueryDto } from '../common/pagination.js';
import type { Principal } from '../auth/principal.js';
import { ConfidenceService } from '../confidence/confidence.service.js';
import type { ChangedClaimResponse } from './dto/changed-claim.response.js';
import { VisitsRepository } from './visits.repository.js';

/** Changed claims come most recently changed first. */
const CHANGE_ORDER: KeysetOrder = { field: 'lastChangeAt', direction: 'desc' };

function pageStart(cursor: string): { at: Date; claimId: string } {
  const { id, value } = readCursor(cursor, CHANGE_ORDER, fitsColumn('timestamptz', false));
  return { at: value as Date, claimId: id };
}

/** "Since you last looked": each user's looks at claims, and what others changed after them. */
@Injectable()
export class VisitsService {
  constructor(
    private readonly repository: VisitsRepository,
    private readonly confidence: ConfidenceService,
  ) {}

  async changes(viewer: Principal, query: PageQueryDto): Promise<Page<ChangedClaimResponse>> {
    const userId = viewer.id;
    const rows = await this.repository.changedSinceLooked(userId, query.cursor === undefined ? undefined : pageStart(query.cursor), query.limit + 1);
    const page = toPage(rows, rows[0]?.total ?? 0, query.limit, (row) => cursorAfter(CHANGE_ORDER, row.claimId, row.lastChangeAt), (row) => row);
    // Then and now: each claim as it stood at the user's last look, and as it stands (cached).
    const [before, current] = await Promise.all([
      Promise.all(page.items.map((row) => this.confidence.answerAtFor(row.claimId, row.since, viewer))),
      this.confidence.current(page.items.map((row) => row.claimId), viewer),
    ]);
    const now = new Map(current.map((answer) => [answer.claimId, answer]));
    return {
      ...page,
      items: page.items.flatMap(({ total: _, ...row }, i) => {
        const current = now.get(row.claimId);
        return current ? [{ ...row, before: before[i], after: current }] : [];
      }),
    };
  }

  async visit(userId: string, claimId: string): Promise<void> {
    if (!(await this.repository.visit(userId, claimId))) throw new NotFoundException(`Claim ${claimId} not found.`);
  }

  async seenAll(userId: string): Promise<void> {
    await this.repository.seenAll(userId);
  }
}
