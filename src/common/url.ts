/** Query parameters that only track campaigns; two URLs differing in them are the same page. */
const TRACKING_PARAM = /^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$/i;

/**
 * One spelling per page, so the unique index on source URLs catches duplicates:
 * lower-case scheme and host, no default port, no fragment, no tracking
 * parameters, sorted query, no trailing slash except at the root.
 */
export function normalizeUrl(input: string): string {
  const url = new URL(input.trim());
  url.hash = '';
  url.hostname = url.hostname.toLowerCase();
  const params = [...url.searchParams.entries()]
    .filter(([key]) => !TRACKING_PARAM.test(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(params).toString();
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '');
  return url.toString();
}

/** The claim's page in the analysts' console (the API's /claims/:id wants credentials and answers JSON). */
export const consolePageOf = (base: string, claimId: string) => `${base}/#/claims/${claimId}`;
