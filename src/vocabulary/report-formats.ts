/**
 * The claims report's formats: the API's `format` values, their media types and file
 * names, and the console's export buttons all come from this table.
 *
 * Dependency-free: the console imports this module too (served at /vocabulary/).
 */
export const REPORT_FORMATS = {
  json: { label: 'JSON', contentType: 'application/json; charset=utf-8', extension: 'json', about: 'full data' },
  csv: { label: 'CSV', contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv', about: 'one row per claim' },
  md: { label: 'Markdown', contentType: 'text/markdown; charset=utf-8', extension: 'md', about: 'Markdown' },
  html: { label: 'HTML', contentType: 'text/html; charset=utf-8', extension: 'html', about: 'printable page' },
  jsonld: { label: 'JSON-LD', contentType: 'application/ld+json; charset=utf-8', extension: 'jsonld', about: 'schema.org ClaimReview' },
  stix: { label: 'STIX 2.1', contentType: 'application/stix+json;version=2.1', extension: 'stix.json', about: 'a STIX 2.1 bundle for OpenCTI and MISP' },
} as const;

export type ReportFormat = keyof typeof REPORT_FORMATS;
export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormat[];
/** The media types alone (no parameters), as OpenAPI lists what a route produces. */
export const REPORT_MEDIA_TYPES = Object.values(REPORT_FORMATS).map((format) => format.contentType.split(';')[0]);
