import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AchWeight, AnalyticConfidence, ClaimStatus, Consistency, OriginatorKind, Reliability, SourceKind, Stance } from '../generated/prisma/enums.js';

/** The repository's seed/ folder: the five articles and what an analyst extracted from them. */
export const SEED_DIR = resolve(import.meta.dirname, '../../seed');

export interface SeedSource {
  key: string;
  file: string;
  title: string;
  kind: SourceKind;
  publishedOn: string;
  dateInferred: boolean;
  language: string;
  reliability: Reliability;
  reliabilityNotes: string;
  at: string;
}

/** A speaker or body the articles attribute statements to. */
export interface SeedOriginator {
  key: string;
  name: string;
  kind: OriginatorKind;
  aliases?: string[];
}

export interface SeedEvidence {
  source: string;
  /** Who the text says it comes from (an originator's key). */
  originator?: string;
  stance: Stance;
  credibility: number;
  diagnosticity: number;
  quote: string;
}

export interface SeedAssessment {
  at: string;
  probability: number;
  confidence: AnalyticConfidence;
  by: 1 | 2;
  rationale: string;
  /** Indexes into the claim's evidence. */
  evidence: number[];
}

/** An analyst's own estimate (see the team judgement), dated as of the article it rests on. */
export interface SeedEstimate {
  at: string;
  probability: number;
  confidence: AnalyticConfidence;
  by: 1 | 2 | 3;
  rationale: string;
  /** Indexes into the claim's evidence. */
  evidence: number[];
}

export interface SeedClaim {
  key: string;
  statement: string;
  topics: string[];
  entities: string[];
  status: ClaimStatus;
  appearances: { source: string; quote: string; originator?: string }[];
  evidence: SeedEvidence[];
  assessments: SeedAssessment[];
  estimates?: SeedEstimate[];
  /** For claims whose truth is known. */
  resolution?: { outcome: boolean; at: string; source: string; note: string };
}

export interface SeedQuestion {
  title: string;
  description: string;
  /** Keys of the hypothesis claims. */
  hypotheses: string[];
  /** An evidence item (claim key, index) rated against each hypothesis: [consistency, relevance]. */
  ratings: { claim: string; evidence: number; ratings: Record<string, [Consistency, AchWeight]> }[];
}

export interface SeedData {
  sources: SeedSource[];
  originators: SeedOriginator[];
  claims: SeedClaim[];
  questions: SeedQuestion[];
  /** Topics whose claims are blind first. */
  blindTopics: string[];
}

export async function loadSeedData(): Promise<SeedData> {
  return JSON.parse(await readFile(join(SEED_DIR, 'seed-data.json'), 'utf8')) as SeedData;
}

export function readArticle(file: string): Promise<string> {
  return readFile(join(SEED_DIR, 'articles', file), 'utf8');
}
