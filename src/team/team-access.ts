import type { Principal } from '../auth/principal.js';

/** What decides who sees a claim's estimates. */
export interface TeamFacts {
  blind: boolean;
  /** Analysts whose estimate stands. */
  analysts: number;
  /** Author of the assessment of record in force. */
  recordAuthorId: string | null;
}

/** Viewers and API keys see a blind claim's team once this many analysts have estimated it. */
export const BLIND_READERS_AFTER = 2;

/**
 * Blind first (Delphi): on a blind claim an analyst sees colleagues' estimates, the consensus
 * and the rationales only once they have recorded an estimate of their own (`hasEstimated`,
 * asked only when it matters); admins and the author of the assessment of record always;
 * viewers and API keys once two analysts have estimated. Claims that are not blind hide nothing.
 */
export async function seesTeam(principal: Principal, facts: TeamFacts, hasEstimated: () => Promise<boolean>): Promise<boolean> {
  if (!facts.blind) return true;
  if (principal.kind === 'apiKey' || principal.role === 'viewer') return facts.analysts >= BLIND_READERS_AFTER;
  if (principal.role === 'admin' || principal.id === facts.recordAuthorId) return true;
  return hasEstimated();
}

/**
 * Which of several claims' teams `viewer` sees (seesTeam for each), asking whether they have
 * estimated (`estimatedBy`, one read for the blind claims among them) at most once, and only
 * when an answer depends on it.
 */
export async function teamsSeenBy(
  viewer: Principal,
  claims: { claimId: string; facts: TeamFacts }[],
  estimatedBy: (analystId: string, claimIds: string[]) => Promise<Set<string>>,
): Promise<boolean[]> {
  let estimated: Promise<Set<string>> | undefined;
  const blindIds = claims.filter((claim) => claim.facts.blind).map((claim) => claim.claimId);
  return Promise.all(
    claims.map((claim) => seesTeam(viewer, claim.facts, async () => (await (estimated ??= estimatedBy(viewer.id, blindIds))).has(claim.claimId))),
  );
}
