import { hash as digest } from 'node:crypto';
import { estimativeBand, estimativeTerm } from '../../vocabulary/estimative.js';
import type { ReportClaim, ReportEvidence, ReportFormatter, ReportMeta, ReportSource } from '../report.js';

/**
 * Claimtrack as STIX 2.1 (README, "STIX 2.1 and TAXII"): standard objects and properties only,
 * the meaning in standard fields and labels (OpenCTI drops unknown properties).
 *
 *   deployment → identity (organization)      analyst → identity (individual)
 *   source     → report (published, URL and SHA-256 of its text, reliability label)
 *   claim      → grouping (context suspicious-activity, name = statement)
 *   evidence   → note (content = the quote, abstract = stance, confidence from credibility)
 *   assessment version → opinion (a bucket of the probability) and a note with the exact figures
 *
 * Identifiers are UUIDv5 in STIX_NAMESPACE of "<kind>:<Claimtrack id>", so a re-export updates
 * the same objects instead of adding copies; an object's `modified` moves when it changes.
 */
export const STIX_NAMESPACE = 'b4145dbc-417b-54c2-b519-3a833082cb26';

const NAMESPACE = Buffer.from(STIX_NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * A UUIDv5 (RFC 9562 §5.5: SHA-1 of namespace and name, version and variant bits set). Written out
 * rather than taken from the `uuid` package, whose v5 converts the name character by character: it
 * was two fifths of a 10,000-claim export's time. The tests check it against the package.
 */
export function uuidV5(name: string): string {
  const hash = digest('sha1', Buffer.concat([NAMESPACE, Buffer.from(name, 'utf8')]), 'buffer');
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const stixId = (type: string, kind: string, id: string) => `${type}--${uuidV5(`${kind}:${id}`)}`;

/** ICD 203 terms as MISP's estimative-language taxonomy writes them ("roughly even chance" → "roughly-even-chance"). */
export const likelihoodLabel = (probability: number) => `estimative-language:likelihood-probability="${estimativeTerm(probability).replace(/ /g, '-')}"`;
export const analyticConfidenceLabel = (confidence: string) => `estimative-language:confidence-in-analytic-judgment="${confidence}"`;
export const reliabilityLabel = (grade: string) => `admiralty-scale:source-reliability="${grade.toLowerCase()}"`;
export const credibilityLabel = (credibility: number) => `admiralty-scale:information-credibility="${credibility}"`;

/**
 * STIX confidence (0–100) from Admiralty information credibility, as the STIX 2.1 confidence-scale
 * appendix maps it: 1 → 90, 2 → 70, 3 → 50, 4 → 30, 5 → 10; 6 (cannot be judged) has none.
 */
export const stixConfidence = (credibility: number): number | undefined => (credibility >= 1 && credibility <= 5 ? 110 - credibility * 20 : undefined);

/**
 * The five STIX opinion values from the ICD 203 bands (documented buckets): almost no chance and
 * very unlikely → strongly-disagree, unlikely → disagree, roughly even chance → neutral, likely →
 * agree, very likely and almost certain → strongly-agree. The exact probability travels in the
 * version's note and label; consumers never re-derive a term from a number (the STIX "DNI" scale's
 * edges differ from ICD 203's: 0.92 is "very likely" here).
 */
const OPINIONS = ['strongly-disagree', 'strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree', 'strongly-agree'] as const;
export const stixOpinion = (probability: number) => OPINIONS[estimativeBand(probability)];

/** Times as ISO 8601 text; the report's are that already (UTC, milliseconds, one width), so they compare as text. */
const iso = (time: Date | string) => (typeof time === 'string' ? time : time.toISOString());
const latest = (...times: (Date | string | null | undefined)[]) =>
  times.reduce<string>((max, time) => (time == null ? max : iso(time) > max ? iso(time) : max), '');
/** A published date however precise ("2024", "2024-03", "2024-03-05") as the instant it starts. */
const publishedAt = (published: string) => `${published}${'-01-01'.slice(published.length - 4)}T00:00:00.000Z`;
const percent = (p: number) => `${Math.round(p * 1000) / 10} %`;

/** Everything the bundle needs beyond the claims: who the people are, and the deployment as an identity. */
export interface StixContext {
  organisation: { id: string; name: string; createdAt: Date };
  people: Map<string, { name: string; createdAt: Date }>;
}

export type StixObject = Record<string, unknown> & { type: string; id: string; modified: string };

/**
 * The identifiers a claim's objects refer to beyond their own: the publisher, the analysts (those
 * who are users) and the sources' reports. The same few recur in every claim, so each is derived
 * once per export (deriving them again and again was two fifths of a 10,000-claim export's time).
 */
export interface StixRefs {
  organisation: string;
  analyst(userId: string): string | undefined;
  report(sourceId: string): string;
}

export function stixRefs(context: StixContext): StixRefs {
  const memo = (type: string, kind: string) => {
    const ids = new Map<string, string>();
    return (id: string) => {
      let stix = ids.get(id);
      if (!stix) ids.set(id, (stix = stixId(type, kind, id)));
      return stix;
    };
  };
  const analyst = memo('identity', 'analyst');
  return {
    organisation: stixId('identity', 'deployment', context.organisation.id),
    analyst: (userId) => (context.people.has(userId) ? analyst(userId) : undefined),
    report: memo('report', 'source'),
  };
}

/** The objects of one claim (not its sources', which come once, at the end, citing every note from them). */
export function claimObjects(claim: ReportClaim, { organisation, analyst, report }: StixRefs): { objects: StixObject[]; notesBySource: [string, string][] } {
  const grouping = stixId('grouping', 'claim', claim.id);
  const objects: StixObject[] = [];
  const notesBySource: [string, string][] = [];
  const items: ReportEvidence[] = [...claim.evidenceFor, ...claim.evidenceAgainst, ...claim.context];
  for (const e of items) {
    const id = stixId('note', 'evidence', e.id);
    const confidence = stixConfidence(e.credibility);
    notesBySource.push([e.sourceId, id]);
    objects.push({
      type: 'note',
      spec_version: '2.1',
      id,
      created: iso(e.createdAt),
      modified: latest(e.createdAt, e.updatedAt),
      created_by_ref: analyst(e.createdById) ?? organisation,
      abstract: e.stance,
      content: e.quote,
      ...(confidence === undefined ? {} : { confidence }),
      labels: [reliabilityLabel(e.sourceReliability), credibilityLabel(e.credibility)],
      object_refs: [grouping, report(e.sourceId)],
    });
  }
  let previous: string | undefined;
  for (const a of claim.history) {
    const opinion = stixId('opinion', 'assessment', a.id);
    const author = analyst(a.createdById) ?? organisation;
    const labels = [likelihoodLabel(a.probability), analyticConfidenceLabel(a.confidence)];
    objects.push({
      type: 'opinion',
      spec_version: '2.1',
      id: opinion,
      created: iso(a.createdAt),
      modified: iso(a.createdAt),
      created_by_ref: author,
      opinion: stixOpinion(a.probability),
      explanation: a.rationale,
      authors: [a.createdByName],
      labels,
      object_refs: [grouping],
    });
    objects.push({
      type: 'note',
      spec_version: '2.1',
      id: stixId('note', 'assessment', a.id),
      created: iso(a.createdAt),
      modified: iso(a.createdAt),
      created_by_ref: author,
      abstract: `Assessment version ${a.version}: ${a.estimativeTerm} (${percent(a.probability)}), ${a.confidence} analytic confidence`,
      content: `Probability ${a.probability} (${a.estimativeTerm}); analytic confidence ${a.confidence}; version ${a.version} of the claim's assessment.\n\n${a.rationale}`,
      authors: [a.createdByName],
      labels,
      // In order: this version's opinion, and the version it revised.
      object_refs: [grouping, opinion, ...(previous ? [previous] : [])],
    });
    previous = opinion;
  }
  const refs = [...new Set([...objects.map((o) => o.id), ...claim.sources.map((s) => report(s.id))])];
  const record = claim.assessment;
  objects.unshift({
    type: 'grouping',
    spec_version: '2.1',
    id: grouping,
    created: iso(claim.createdAt),
    modified: latest(claim.createdAt, ...items.map((e) => e.updatedAt), record?.createdAt),
    created_by_ref: organisation,
    name: claim.statement,
    description: record
      ? `Assessed ${record.estimativeTerm} (${percent(record.probability)}), ${record.confidence} analytic confidence. Status: ${claim.status.replace('_', ' ')}.`
      : `Not assessed yet. Status: ${claim.status.replace('_', ' ')}.`,
    context: 'suspicious-activity',
    labels: [...(record ? [likelihoodLabel(record.probability), analyticConfidenceLabel(record.confidence)] : []), ...claim.topics],
    external_references: [{ source_name: 'claimtrack', url: claim.url, external_id: claim.id }],
    // A grouping refers to something: a claim with nothing yet refers to its publisher.
    object_refs: refs.length ? refs : [organisation],
  });
  return { objects, notesBySource };
}

/** A source as a report citing `notes` (the notes of its evidence). */
export function reportObject(source: ReportSource, notes: string[], organisation: string): StixObject {
  return {
    type: 'report',
    spec_version: '2.1',
    id: stixId('report', 'source', source.id),
    created: iso(source.createdAt),
    modified: latest(source.createdAt, source.gradedAt),
    created_by_ref: organisation,
    name: source.title,
    report_types: ['threat-report'],
    published: source.publishedOn ? publishedAt(source.publishedOn) : iso(source.createdAt),
    labels: [reliabilityLabel(source.reliability)],
    external_references: [
      {
        source_name: source.outlet ?? 'source',
        description: source.title,
        ...(source.url ? { url: source.url } : {}),
        ...(source.textSha256 ? { hashes: { 'SHA-256': source.textSha256 } } : {}),
      },
    ],
    object_refs: notes.length ? notes : [organisation],
  };
}

export function identity(kind: 'deployment' | 'analyst', id: string, name: string, createdAt: Date, identityClass: 'organization' | 'individual', organisation?: string): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: stixId('identity', kind, id),
    created: iso(createdAt),
    modified: iso(createdAt),
    ...(organisation ? { created_by_ref: organisation } : {}),
    name,
    identity_class: identityClass,
  };
}

/**
 * A STIX 2.1 bundle, streamed: the publishing identity, then each claim's objects (and the
 * identities of the analysts as they first appear), then the sources as reports citing every note
 * from them. The bundle's id is derived from the export's moment and filters, so the same export
 * twice is the same bytes.
 */
export const renderStix: ReportFormatter = async function* (claims, meta: ReportMeta) {
  const context = await meta.stix();
  const refs = stixRefs(context);
  const { organisation } = refs;
  const bundleId = stixId('bundle', 'export', JSON.stringify({ asOf: meta.asOf ?? null, filters: meta.filters, at: meta.asOf ? null : meta.generatedAt }));
  yield `{"type":"bundle","id":${JSON.stringify(bundleId)},"objects":[\n`;
  yield JSON.stringify(identity('deployment', context.organisation.id, context.organisation.name, context.organisation.createdAt, 'organization'));
  const people = new Set<string>();
  const sources = new Map<string, { source: ReportSource; notes: string[] }>();
  for await (const claim of claims) {
    const { objects, notesBySource } = claimObjects(claim, refs);
    const newcomers = [...claim.evidenceFor, ...claim.evidenceAgainst, ...claim.context].map((e) => e.createdById).concat(claim.history.map((a) => a.createdById));
    let chunk = '';
    for (const userId of newcomers) {
      const person = context.people.get(userId);
      if (!person || people.has(userId)) continue;
      people.add(userId);
      chunk += ',\n' + JSON.stringify(identity('analyst', userId, person.name, person.createdAt, 'individual', organisation));
    }
    for (const object of objects) chunk += ',\n' + JSON.stringify(object);
    for (const source of claim.sources) if (!sources.has(source.id)) sources.set(source.id, { source, notes: [] });
    for (const [sourceId, note] of notesBySource) sources.get(sourceId)?.notes.push(note);
    yield chunk;
  }
  for (const { source, notes } of sources.values()) yield ',\n' + JSON.stringify(reportObject(source, notes, organisation));
  yield '\n]}\n';
};
