import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { ApiKeyScope, Role } from '../generated/prisma/enums.js';
import { API_KEY_SCHEME, BEARER_SCHEME } from './auth.constants.js';
import type { LinkAudience } from './auth.constants.js';
import type { Principal } from './principal.js';

export const REQUIRED_ROLE = 'requiredRole';
export const KEY_SCOPES = 'apiKeyScopes';
export const LINK_TOKEN = 'acceptsLinkToken';

/**
 * Also accepts a short-lived link token of this audience in `?token=`: for what a browser
 * opens by its URL (an EventSource, a download), which cannot carry an Authorization header.
 */
export const AcceptsLinkToken = (audience: LinkAudience) => SetMetadata(LINK_TOKEN, audience);

/** A signed-in user with at least this role; API keys are refused (they never write). */
export const Roles = (role: Role) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({ description: 'No or invalid credentials.' }),
    ApiForbiddenResponse({ description: `Requires the ${role} role (or higher); API keys are read-only.` }),
  );

/**
 * A read open to every signed-in user and to API keys with `read_all`, plus the
 * extra key scopes named here.
 */
export const ReadAccess = (...scopes: ApiKeyScope[]) =>
  applyDecorators(
    SetMetadata(KEY_SCOPES, ['read_all', ...scopes]),
    ApiBearerAuth(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiUnauthorizedResponse({ description: 'No or invalid credentials.' }),
    ApiForbiddenResponse({ description: `API keys need one of the scopes: ${['read_all', ...scopes].join(', ')}.` }),
  );

/** The authenticated principal of the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
