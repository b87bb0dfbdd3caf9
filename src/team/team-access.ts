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
