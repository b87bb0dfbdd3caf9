import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { hash } from 'node:crypto';
import { setImmediate as yieldToEventLoop, setTimeout as pause } from 'node:timers/promises';
import { AppConfig } from '../config/app-config.service.js';
import type { ReportSource } from '../reports/report.js';
import { ReportsService } from '../reports/reports.service.js';
import { claimObjects, identity, reportObject, stixId, stixRefs, type StixObject } from '../reports/formats/stix.js';
import { TaxiiRepository, type NewVersion, type Pending, type PublisherRun } from './taxii.repository.js';

/** Claims (or sources, or users) rendered and published at once. */
const BATCH = 200;
/**
 * The publisher runs in the alerts worker's process, often the API's too, and rendering is work on
 * its one thread: under a thousand writes a second, publishing every claim written took all of it,
 * and alerts waited a second to be dispatched (#21's p50 ≤ 200 ms, p99 ≤ 1 s missed). So it yields
 * to the event loop every OBJECTS_BETWEEN_YIELDS objects (a batch held the loop for a fifth of a
 * second), and after each full batch pauses twice as long as the batch took: a third of the
 * process's time at most. Clients poll TAXII; a version published seconds later is still found
 * by `added_after`.
 */
const OBJECTS_BETWEEN_YIELDS = 200;
const PAUSE_PER_BATCH_TIME = 2;

/** Awaited after each piece of work of `size` objects: yields to the event loop once OBJECTS_BETWEEN_YIELDS were done since the last yield. */
function pacer(): (size: number) => Promise<void> {
  let done = 0;
  return async (size) => {
    done += size;
    if (done < OBJECTS_BETWEEN_YIELDS) return;
    done = 0;
    await yieldToEventLoop();
  };
}

interface Candidate {
  object: StixObject;
  shared: boolean;
  topics: string[];
  /** An analyst's identity is published with the first object they wrote; a rename alone republishes only one already out. */
  onlyIfPublished?: boolean;
}

/**
 * Publishes the STIX objects the TAXII server serves. Triggers mark what a transaction changes
 * (claims, sources, users); this renders the marked claims with the STIX export's mapping and
 * stores each object whose content changed as a new version. One publisher at a time (an advisory
 * lock), each batch's `date_added` after every earlier one's: a version becomes visible only when
 * its batch commits, with a `date_added` after everything visible before, and a change still under
 * way keeps its mark, so a client polling with `added_after` never misses one however late it commits.
 */
@Injectable()
export class TaxiiPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('TAXII');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Ends a pause between batches at shutdown; what is still marked waits for the next run. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly config: AppConfig,
    private readonly repository: TaxiiRepository,
    private readonly reports: ReportsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.alerts.worker) return;
    const tick = () => void this.publish().catch((error: Error) => this.logger.warn(`Publishing TAXII objects failed: ${error.message}`));
    tick();
    this.timer = setInterval(tick, this.config.taxiiPublishMs).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running?.catch(() => undefined);
  }

  /** Publishes everything marked so far (unless another instance's publisher is at it): a run under way is let finish first. How many versions. */
  async publish(): Promise<number> {
    await this.running?.catch(() => undefined);
    this.running ??= this.publishAll().finally(() => (this.running = undefined));
    return this.running;
  }

  /** One pass over the marks, in batches; marks left or made meanwhile wait for the next run. */
  private async publishAll(): Promise<number> {
    const started = performance.now();
    let rendered = 0;
    const published = await this.repository.publisher(async (run) => {
      let total = 0;
      let last: Pending | undefined;
      while (!this.stopping.signal.aborted) {
        const pending = await run.pendingAfter(last, BATCH);
        if (pending.length === 0) return total;
        last = pending.at(-1);
        rendered += pending.length;
        const batchStarted = performance.now();
        total += await this.publishBatch(run, pending);
        if (pending.length < BATCH) break;
        await pause((performance.now() - batchStarted) * PAUSE_PER_BATCH_TIME, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
      return total;
    });
    if (published) this.logger.log(`Published ${published} STIX object version(s), rendering ${rendered} changed record(s), in ${Math.round(performance.now() - started)} ms.`);
    return published ?? 0;
  }

  private async publishBatch(run: PublisherRun, pending: Pending[]): Promise<number> {
    const candidates = await this.render(pending);
    const latest = await run.latestVersions(candidates.map((c) => c.object.id));
    const pace = pacer();
    const versions: NewVersion[] = [];
    for (const candidate of candidates) {
      const version = newVersion(candidate, latest.get(candidate.object.id));
      if (version) versions.push(version);
      await pace(1);
    }
    return run.publish(versions, pending);
  }

  /** The objects the marks stand for: claims' objects and their authors' identities, sources' reports, renamed analysts' identities. */
  private async render(pending: Pending[]): Promise<Candidate[]> {
    const marked = (kind: Pending['kind']) => pending.filter((p) => p.kind === kind).map((p) => p.id);
    const [claims, context] = await Promise.all([this.repository.liveClaims(marked('claim')).then((ids) => this.reports.claimsById(ids)), this.reports.stixContext()]);
    const refs = stixRefs(context);
    const { organisation } = refs;
    const { organisation: deployment } = context;
    const candidates: Candidate[] = [{ object: identity('deployment', deployment.id, deployment.name, deployment.createdAt, 'organization'), shared: true, topics: [] }];

    const pace = pacer();
    const authors = new Set<string>();
    for (const claim of claims) {
      const { objects } = claimObjects(claim, refs);
      for (const object of objects) candidates.push({ object, shared: false, topics: claim.topics });
      await pace(objects.length);
      for (const item of [...claim.evidenceFor, ...claim.evidenceAgainst, ...claim.context]) authors.add(item.createdById);
      for (const version of claim.history) authors.add(version.createdById);
    }
    for (const userId of new Set([...authors, ...marked('user')])) {
      const person = context.people.get(userId);
      if (!person) continue;
      const object = identity('analyst', userId, person.name, person.createdAt, 'individual', organisation);
      candidates.push({ object, shared: true, topics: [], onlyIfPublished: !authors.has(userId) });
    }

    const sources = new Map<string, ReportSource>();
    await this.reports.readSources(marked('source'), sources);
    for (const { sourceId, evidenceIds, topics } of await this.repository.sourceReach([...sources.keys()])) {
      const notes = evidenceIds.map((id) => stixId('note', 'evidence', id));
      candidates.push({ object: reportObject(sources.get(sourceId)!, notes, organisation), shared: false, topics });
    }
    return candidates;
  }
}

/** The candidate as a new version, unless its content is the version already out (or it is to be published only if it was). */
function newVersion({ object, shared, topics, onlyIfPublished }: Candidate, previous: { version: string; contentHash: string } | undefined): NewVersion | undefined {
  // The object as the mapping gives it (its `modified` from the times of what it shows), and where it is collected.
  const body = JSON.stringify(object);
  const contentHash = hash('sha256', `${body}\n${shared}\n${topics.join('\n')}`);
  if (previous ? previous.contentHash === contentHash : onlyIfPublished) return undefined;
  // A new version needs a later `modified` (STIX versions by it), even when what changed carries no time of its own.
  if (!previous || object.modified > previous.version) return { stixId: object.id, type: object.type, version: object.modified, shared, topics, first: !previous, contentHash, body };
  const modified = new Date(Date.parse(previous.version) + 1).toISOString();
  return { stixId: object.id, type: object.type, version: modified, shared, topics, first: false, contentHash, body: JSON.stringify({ ...object, modified }) };
}
