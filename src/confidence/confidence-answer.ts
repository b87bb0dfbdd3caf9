import { createHash } from 'node:crypto';
import { weightedProbability } from '../analysis/evidence-weight.js';
import { estimativeTerm } from '../vocabulary/estimative.js';
import type { ConfidenceRow } from './confidence.repository.js';
import type { ConfidenceResponse } from './dto/confidence.response.js';

/**
 * The confidence answer for one claim: the analyst's probability and term next to the
 * evidence-weighted ones, and `gap` when the two fall in different ICD 203 bands.
 */
export function toConfidence(row: ConfidenceRow): ConfidenceResponse {
  const evidenceProbability = weightedProbability(row.evidenceLogOdds, row.priorProbability ?? undefined);
  const analystTerm = row.probability === null ? null : estimativeTerm(row.probability);
  const evidenceTerm = estimativeTerm(evidenceProbability);
  return {
    claimId: row.claimId,
    statement: row.statement,
    status: row.status,
    probability: row.probability,
    estimativeTerm: analystTerm,
    confidence: row.confidence,
    version: row.version,
    assessedAt: row.assessedAt,
    assessedById: row.assessedById,
    assessedBy: row.assessedBy,
    supportingEvidence: row.supportingEvidence,
    contradictingEvidence: row.contradictingEvidence,
    evidenceProbability,
    evidenceTerm,
    priorProbability: row.priorProbability,
    gap: analystTerm && analystTerm !== evidenceTerm ? `analyst: ${analystTerm}; evidence: ${evidenceTerm}` : null,
    updatedAt: row.updatedAt,
  };
}

/**
 * An answer as sent: JSON bytes and their strong ETag. Confidence answers are
 * serialized and hashed once, when cached, not on every request; a page is
 * their concatenation.
 */
export interface SerializedJson {
  json: Buffer;
  etag: string;
}

export const etagOf = (content: string | Buffer) => `"${createHash('sha1').update(content).digest('base64url')}"`;

export function serialize(value: ConfidenceResponse): SerializedJson {
  const json = Buffer.from(JSON.stringify(value));
  return { json, etag: etagOf(json) };
}
