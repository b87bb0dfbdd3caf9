import type { Reliability, Stance } from '../generated/prisma/enums.js';
import { DEFAULT_WEIGHTS, itemLogOdds, type EvidenceWeights } from './evidence-weight.js';

/**
 * Corroboration that counts each origin once.
 *
 * Items are one **origin** when their attributions name the same originator, or when their
 * sources are linked by derivation (republishes, translates, quotes, summarises), taken
 * transitively and in either direction, and so on through any chain of the two. Within an
 * origin, per stance, only the item with the largest absolute weight counts; the others add
 * nothing. An item with no attribution from an underived source is its own origin, as before.
 *
 * Why the largest and not, say, a sum with diminishing returns: five outlets repeating one TASS
 * line carry one observation, so the origin should weigh what its best telling of it weighs (the
 * most credible, most diagnostic report from the most reliable carrier), and no less than any
 * one of them would alone. Any share of the rest would count the echo again, which is the error
 * this rule exists to remove; a confirming, independent report is a different origin and counts.
 * Per stance, because one origin can say both things (an official denying what the same office
 * admitted earlier): each statement moves the estimate its own way once.
 *
 * An originator's own Admiralty grade, when it has one, weighs its items instead of the grade of
 * the source that carried them: the information is the originator's, the source only relays it.
 */
export interface SourcedItem {
  id: string;
  stance: Stance;
  credibility: number;
  diagnosticity: number;
  sourceId: string;
  sourceReliability: Reliability;
  /** The originator the text attributes the item to, as the survivor of any merge; null when none. */
  originatorId: string | null;
  originatorReliability: Reliability | null;
  /** The derivation-linked group of sources its source belongs to; null when its source is underived. */
  lineage: string | null;
}

export interface Origin {
  /** The origin's first item id (ids sort): a label, stable while the origin keeps that item. */
  id: string;
  itemIds: string[];
  /** Per stance, the item the origin counts. */
  counted: Partial<Record<Stance, string>>;
}

export interface StanceTally {
  items: number;
  origins: number;
}

export interface Corroboration {
  logOdds: number;
  supporting: StanceTally;
  contradicting: StanceTally;
  origins: Origin[];
}

/** The reliability that weighs an item: its originator's own grade, else its source's. */
export const effectiveReliability = (item: Pick<SourcedItem, 'sourceReliability' | 'originatorReliability'>): Reliability =>
  item.originatorReliability ?? item.sourceReliability;

/** How far one item alone moves the log-odds, with a weight set (the default unless given). */
export const itemWeight = (item: SourcedItem, weights: EvidenceWeights = DEFAULT_WEIGHTS) => itemLogOdds({ ...item, reliability: effectiveReliability(item) }, weights);

/** Groups items into origins (union-find over shared originators and shared lineages) and counts each once per stance. */
export function corroborate(items: readonly SourcedItem[], weights: EvidenceWeights = DEFAULT_WEIGHTS): Corroboration {
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const parent = sorted.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const firstWith = new Map<string, number>();
  const join = (key: string, i: number) => {
    const first = firstWith.get(key);
    if (first === undefined) firstWith.set(key, i);
    else {
      const [a, b] = [root(first), root(i)];
      // The smaller index (the smaller id) stays the root, so an origin's label is its first item.
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  };
  sorted.forEach((item, i) => {
    if (item.originatorId) join(`originator:${item.originatorId}`, i);
    if (item.lineage) join(`lineage:${item.lineage}`, i);
  });

  const origins = new Map<number, Origin>();
  const best = new Map<string, { id: string; weight: number }>();
  let logOdds = 0;
  sorted.forEach((item, i) => {
    const r = root(i);
    const origin = origins.get(r) ?? { id: sorted[r].id, itemIds: [], counted: {} };
    origins.set(r, origin);
    origin.itemIds.push(item.id);
    const weight = itemWeight(item, weights);
    const key = `${r}:${item.stance}`;
    const current = best.get(key);
    if (!current || Math.abs(weight) > Math.abs(current.weight)) best.set(key, { id: item.id, weight });
  });
  for (const [key, { id, weight }] of best) {
    const [r, stance] = key.split(':') as [string, Stance];
    origins.get(Number(r))!.counted[stance] = id;
    logOdds += weight;
  }
  const tally = (stance: Stance): StanceTally => ({
    items: sorted.filter((item) => item.stance === stance).length,
    origins: [...origins.values()].filter((origin) => origin.counted[stance] !== undefined).length,
  });
  return { logOdds, supporting: tally('supports'), contradicting: tally('contradicts'), origins: [...origins.values()] };
}
