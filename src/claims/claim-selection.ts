/**
 * Which claims a listener follows by their labels: any of `claimIds`, with `topic`, with
 * `entity` — each that is set must hold (none set: every claim). Alert rules and the filtered
 * confidence stream select claims by this one rule. Topics are lower-cased as claims store them.
 */
export interface ClaimSelection {
  claimIds?: readonly string[] | null;
  topic?: string | null;
  entity?: string | null;
}

export interface LabelledClaim {
  id: string;
  topics: readonly string[];
  entities: readonly string[];
}

export const selectsAll = (selection: ClaimSelection) => !selection.claimIds?.length && !selection.topic && !selection.entity;

export function selects(selection: ClaimSelection, claim: LabelledClaim): boolean {
  return (
    (!selection.claimIds?.length || selection.claimIds.includes(claim.id)) &&
    (!selection.topic || claim.topics.includes(selection.topic.trim().toLowerCase())) &&
    (!selection.entity || claim.entities.includes(selection.entity.trim()))
  );
}
