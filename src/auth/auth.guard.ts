import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiKeyScope, Role } from '../generated/prisma/enums.js';
import { KEY_SCOPES, LINK_TOKEN, REQUIRED_ROLE } from './access.decorators.js';
import type { LinkAudience } from './auth.constants.js';
import { AuthService } from './auth.service.js';
import { hasRole, type Principal } from './principal.js';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * Deny by default: every route needs a user or an API key unless marked @Public().
 * @Roles() routes need a user with that role; other routes are reads, open to
 * users and to keys holding one of the route's scopes (read_all by default).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string>; query?: { token?: unknown }; principal: Principal }>();
    const audience = this.reflector.get<LinkAudience | undefined>(LINK_TOKEN, context.getHandler());
    const linkToken = audience ? request.query?.token : undefined;
    const principal =
      typeof linkToken === 'string' && !request.headers.authorization && !request.headers['x-api-key']
        ? await this.auth.authenticateLinkToken(linkToken, audience!)
        : await this.auth.authenticate(request.headers);
    request.principal = principal;

    const role = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (principal.kind === 'apiKey') {
      if (role) throw new ForbiddenException('API keys are read-only.');
      const scopes = this.reflector.getAllAndOverride<ApiKeyScope[] | undefined>(KEY_SCOPES, targets) ?? ['read_all'];
      if (!principal.scopes.some((scope) => scopes.includes(scope))) {
        throw new ForbiddenException(`This API key lacks the scope for this route (${scopes.join(' or ')}).`);
      }
      return true;
    }
    if (role && !hasRole(principal.role, role)) throw new ForbiddenException(`Requires the ${role} role.`);
    return true;
  }
}
