import { Injectable, type BeforeApplicationShutdown, type MessageEvent } from '@nestjs/common';
import { concatMap, defer, exhaustMap, from, interval, map, merge, startWith, Subject, switchMap, takeUntil, type Observable } from 'rxjs';
import { selects, selectsAll, type ClaimSelection } from '../claims/claim-selection.js';
import { estimativeTerm } from '../vocabulary/estimative.js';
import { AppConfig } from '../config/app-config.service.js';
import { ConfidenceRepository, type ChangeRow, type FeedLag } from './confidence.repository.js';
import type { ConfidenceChange, ConfidenceChanges, EstimateChange, EvidenceChange } from './dto/confidence.response.js';
import { FEED_START, feedCursor, parseFeedCursor } from './feed-cursor.js';

const toChange = (row: ChangeRow): ConfidenceChange => ({
  cursor: feedCursor(row.txid, row.seq),
  claimId: row.claimId,
  version: row.version,
  probability: row.probability!,
  estimativeTerm: estimativeTerm(row.probability!),
  confidence: row.confidence!,
  assessedAt: row.at,
  assessedById: row.actorId!,
  assessedBy: row.actor,
});

const EVENTS: Record<ChangeRow['kind'], (row: ChangeRow) => Omit<MessageEvent, 'id'>> = {
  assessment: (row) => ({ type: 'confidence', data: toChange(row) }),
  estimate: (row) => ({ type: 'estimate', data: toEstimateChange(row) }),
  evidence: (row) => ({ type: 'evidence', data: toEvidenceChange(row) }),
};

const toEstimateChange = (row: ChangeRow): EstimateChange => ({
  cursor: feedCursor(row.txid, row.seq),
  claimId: row.claimId,
  analystId: row.actorId!,
  analyst: row.actor,
  version: row.version,
  withdrawn: row.withdrawn,
  blind: row.blind,
  probability: row.probability,
  estimativeTerm: row.probability === null ? null : estimativeTerm(row.probability),
  confidence: row.confidence,
  estimatedAt: row.at,
});

const toEvidenceChange = (row: ChangeRow): EvidenceChange => ({
  cursor: feedCursor(row.txid, row.seq),
  claimId: row.claimId,
  evidenceProbability: row.probability!,
  evidenceTerm: estimativeTerm(row.probability!),
  supportingEvidence: row.supportingItems!,
  supportingOrigins: row.supportingOrigins!,
  contradictingEvidence: row.contradictingItems!,
  contradictingOrigins: row.contradictingOrigins!,
  cause: row.cause as EvidenceChange['cause'],
  changedAt: row.at,
  changedById: row.actorId,
  changedBy: row.actor,
});

/** What a poll carries beside the assessments. */
export interface FeedIncludes {
  estimates: boolean;
  evidence: boolean;
}

/** The feed of new assessment versions (and estimates, and evidence weights), polled (`changes`) or streamed (`stream`). */
@Injectable()
export class ChangeFeedService implements BeforeApplicationShutdown {
  /** Ends open streams on shutdown; otherwise their connections would keep the server from closing. */
  private readonly shutdown$ = new Subject<void>();

  constructor(
    private readonly repository: ConfidenceRepository,
    private readonly config: AppConfig,
  ) {}

  beforeApplicationShutdown(): void {
    this.shutdown$.next();
    this.shutdown$.complete();
  }

  /**
   * Assessment changes after `since`, in the order of their transactions. A change
   * is released only once every older transaction has ended, so a poller never
   * skips one that commits late, and never sees one twice.
   */
  async changes(since: string | undefined, limit: number, include: FeedIncludes = { estimates: false, evidence: false }): Promise<ConfidenceChanges> {
    const { txid, seq } = parseFeedCursor(since ?? FEED_START);
    const rows = await this.repository.changesAfter(txid, seq, limit, include);
    const nextCursor = rows.length ? feedCursor(rows.at(-1)!.txid, rows.at(-1)!.seq) : (since ?? FEED_START);
    return {
      items: rows.filter((row) => row.kind === 'assessment').map(toChange),
      ...(include.estimates ? { estimates: rows.filter((row) => row.kind === 'estimate').map(toEstimateChange) } : {}),
      ...(include.evidence ? { evidence: rows.filter((row) => row.kind === 'evidence').map(toEvidenceChange) } : {}),
      nextCursor,
    };
  }

  /** How far open transactions hold the feed back (see the repository's release rule). */
  lag(): Promise<FeedLag> {
    return this.repository.lag();
  }

  /**
   * Live changes after `since` (default: from now), polled every `pollMs`. Each event's id is
   * its cursor. A "heartbeat" event (no id, so Last-Event-ID stays put) keeps idle streams
   * open through proxies that close connections silent for a minute.
   */
  stream(since: string | undefined, selection: ClaimSelection = {}, pollMs = 1000): Observable<MessageEvent> {
    const heartbeats = interval(this.config.streamHeartbeatSeconds * 1000).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: '' })));
    const changes = defer(async () => since ?? (await this.head())).pipe(
      switchMap((start) => {
        let cursor = start;
        return interval(pollMs).pipe(
          startWith(0),
          exhaustMap(async () => {
            const { txid, seq } = parseFeedCursor(cursor);
            const rows = await this.repository.changesAfter(txid, seq, 500, { estimates: true, evidence: true });
            if (rows.length) cursor = feedCursor(rows.at(-1)!.txid, rows.at(-1)!.seq);
            return this.selected(rows, selection);
          }),
          concatMap((rows) => from(rows)),
        );
      }),
      // Assessments as "confidence" events, as ever; estimates and evidence weights as their own events, which listeners of the former never see.
      map((row): MessageEvent => ({ id: feedCursor(row.txid, row.seq), ...EVENTS[row.kind](row) })),
    );
    return merge(changes, heartbeats).pipe(takeUntil(this.shutdown$));
  }

  /** The changes of the claims `selection` follows (their labels read once per batch, as they are now). */
  private async selected(rows: ChangeRow[], selection: ClaimSelection): Promise<ChangeRow[]> {
    if (selectsAll(selection) || rows.length === 0) return rows;
    const claims = await this.repository.labels([...new Set(rows.map((row) => row.claimId))]);
    const followed = new Set(claims.filter((claim) => selects(selection, claim)).map((claim) => claim.id));
    return rows.filter((row) => followed.has(row.claimId));
  }

  /** The feed position after every change released so far: where a new live stream starts. */
  private async head(): Promise<string> {
    const head = await this.repository.head();
    return head ? feedCursor(head.txid, head.seq) : FEED_START;
  }
}
