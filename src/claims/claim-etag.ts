import { createHash } from 'node:crypto';
import type { ClaimResponse } from './dto/claim.response.js';

/**
 * Strong validator of a claim view: the assessment version it shows, then a hash
 * of the whole view. If-Match on a new assessment takes the version part.
 */
export function claimEtag(claim: ClaimResponse): string {
  const hash = createHash('sha256').update(JSON.stringify(claim)).digest('base64url').slice(0, 22);
  return `"${claim.assessment?.version ?? 0}.${hash}"`;
}

/** The assessment version an If-Match header was taken at, or undefined when it is not a claim ETag. */
export function versionFromEtag(header: string | undefined): number | undefined {
  // At most nine digits: a version is a PostgreSQL integer (a longer one is no ETag of ours).
  const match = header === undefined ? null : /^(?:W\/)?"(\d{1,9})\.[\w-]+"$/.exec(header.trim());
  return match ? Number(match[1]) : undefined;
}
