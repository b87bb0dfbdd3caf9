/** Names of the OpenAPI security schemes. */
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'api-key';
/** HTTP Basic with an API key as the password: the TAXII server's, as TAXII clients send it. */
export const BASIC_SCHEME = 'basic';

/** What a link token opens, and where a browser asks for one. */
export const LINK_AUDIENCES = {
  'confidence-stream': 'POST /confidence/stream-tokens',
  'claims-report': 'POST /reports/claims/tokens',
} as const;
export type LinkAudience = keyof typeof LINK_AUDIENCES;

/** A link token opens its resource for a minute: enough to connect or start a download, too short to matter in a log or a history. */
export const LINK_TOKEN_TTL_SECONDS = 60;
