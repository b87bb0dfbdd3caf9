import type { ApiKeyScope, Role } from '../generated/prisma/enums.js';

/** Who is making a request: a signed-in user or an API client's key. */
export type Principal =
  | { kind: 'user'; id: string; email: string; name: string; role: Role }
  | { kind: 'apiKey'; id: string; name: string; scopes: ApiKeyScope[] };

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

/** Admins can do everything analysts can, and analysts everything viewers can. */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

/** The user id to record as a change's author; API keys never write. */
export function actorId(principal: Principal): string {
  if (principal.kind !== 'user') throw new Error('API keys cannot change data');
  return principal.id;
}
