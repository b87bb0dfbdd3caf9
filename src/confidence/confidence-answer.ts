import { createHash } from 'node:crypto';
import { weightedProbability } from '../analysis/evidence-weight.js';
import { estimativeTerm } from '../vocabulary/estimative.js';
import { hiddenTeam, toTeam } from '../team/dto/team.response.js';
import type { TeamFacts } from '../team/team-access.js';
import type { ConfidenceRow } from './confidence.repository.js';
import type { ConfidenceResponse } from './dto/confidence.response.js';

/**
 * The confidence answer for one claim: the analyst's probability and term next to the
 * evidence-weighted ones, and `gap` when the two fall in different ICD 203 bands.
 */
export function toConfidence(row: ConfidenceRow, extremizing: number): ConfidenceResponse {
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
    supportingOrigins: row.supportingOrigins,
    contradictingEvidence: row.contradictingEvidence,
    contradictingOrigins: row.contradictingOrigins,
    evidenceProbability,
    evidenceTerm,
    priorProbability: row.priorProbability,
    gap: analystTerm && analystTerm !== evidenceTerm ? `analyst: ${analystTerm}; evidence: ${evidenceTerm}` : null,
    team: toTeam(row.estimates, row.probability, row.blind, extremizing),
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

/**
 * A claim's cached answer: as sent to those who see its team, and, when the claim is blind,
 * as sent to those who may not see it yet; with the facts that decide which.
 */
export interface ConfidenceEntry {
  full: SerializedJson;
  hidden: SerializedJson | null;
  facts: TeamFacts;
}

export function toEntry(answer: ConfidenceResponse): ConfidenceEntry {
  return {
    full: serialize(answer),
    hidden: answer.team.blind ? serialize({ ...answer, team: hiddenTeam(answer.team) }) : null,
    facts: { blind: answer.team.blind, analysts: answer.team.analysts, recordAuthorId: answer.assessedById },
  };
}
