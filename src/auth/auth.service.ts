import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHmac, randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { CachedLookup } from '../common/cached-lookup.js';
import { DatabaseEvents } from '../database/database-events.service.js';
import type { User } from '../generated/prisma/client.js';
import { toUserResponse } from '../users/dto/user.response.js';
import { LINK_AUDIENCES, LINK_TOKEN_TTL_SECONDS, type LinkAudience } from './auth.constants.js';
import type { TokenResponse } from './dto/token.response.js';
import { CredentialsRepository, type StoredKey, type StoredUser } from './credentials.repository.js';
import type { Principal } from './principal.js';
import { apiKeyPrefix, API_KEY_PREFIX, hashPassword, randomToken, sameHash, sha256, verifyPassword } from './secrets.js';

const INVALID_LOGIN = 'Invalid email or password.';
const INVALID_REFRESH = 'Invalid or expired refresh token.';
/** Record an API key's use at most this often, so reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface AccessClaims {
  sub: string;
  role: string;
}

@Injectable()
export class AuthService {
  // Compared against when the email is unknown, so both failures take the same time.
  private readonly dummyHash = hashPassword(randomToken());
  /** API keys by prefix. Depends on: `api_keys` (revocation reaches every instance at once). */
  private readonly keys: CachedLookup<StoredKey>;
  /** Users by id. Depends on: `users` (role changes, disabling, new passwords). */
  private readonly users: CachedLookup<StoredUser>;
  // Derived from the JWT secret per audience, so a link token opens only its own resource and never passes as an access token.
  private readonly linkKeys: Record<LinkAudience, Buffer>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly credentials: CredentialsRepository,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    events: DatabaseEvents,
  ) {
    this.keys = new CachedLookup(events, 'api_keys', { max: 10_000, ttl: 60_000, perKey: false });
    this.users = new CachedLookup(events, 'users', { max: 10_000, ttl: 60_000, perKey: false });
    this.linkKeys = Object.fromEntries(
      Object.keys(LINK_AUDIENCES).map((audience) => [audience, createHmac('sha256', config.jwtSecret).update(audience).digest()]),
    ) as Record<LinkAudience, Buffer>;
  }

  /**
   * A short-lived token that opens one kind of resource (`audience`) as `principal`, for a
   * URL a browser opens itself; a long-lived credential must never sit in a URL.
   */
  async linkToken(principal: Principal, audience: LinkAudience): Promise<string> {
    return this.jwt.signAsync({ sub: principal.id, kind: principal.kind }, { secret: this.linkKeys[audience], audience, expiresIn: LINK_TOKEN_TTL_SECONDS });
  }

  /** The principal a link token stands for, as stored now (a revoked key or disabled user is refused). */
  async authenticateLinkToken(token: string, audience: LinkAudience): Promise<Principal> {
    let claims: { sub: string; kind: Principal['kind'] };
    try {
      claims = await this.jwt.verifyAsync(token, { secret: this.linkKeys[audience], audience });
    } catch {
      throw new UnauthorizedException(`Invalid or expired token; ask ${LINK_AUDIENCES[audience]} for a new one.`);
    }
    if (claims.kind === 'user') return this.userPrincipal(claims.sub);
    const key = await this.credentials.keyById(claims.sub);
    if (!key || key.revokedAt) throw new UnauthorizedException('Invalid or revoked API key.');
    return { kind: 'apiKey', id: key.id, name: key.name, scopes: key.scopes };
  }

  async login(email: string, password: string): Promise<TokenResponse> {
    const user = await this.prisma.user.findUnique({ where: { email } });
    const valid = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !valid || user.disabledAt) throw new UnauthorizedException(INVALID_LOGIN);
    return this.issueTokens(user, randomUUID());
  }

  /** Rotates a refresh token. Presenting one a second time revokes its whole family. */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const tokenHash = sha256(refreshToken);
    const stored = await this.prisma.refreshToken.findUnique({ where: { tokenHash }, include: { user: true } });
    if (!stored || stored.revokedAt || stored.expiresAt <= new Date() || stored.user.disabledAt) {
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    // Claim the token atomically: of two concurrent uses only one can succeed.
    const claimed = await this.prisma.refreshToken.updateMany({
      where: { id: stored.id, usedAt: null, revokedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0) {
      await this.revokeFamily(stored.familyId);
      throw new UnauthorizedException('Refresh token reuse detected; sign in again.');
    }
    return this.issueTokens(stored.user, stored.familyId);
  }

  /** Revokes the caller's own refresh token family; someone else's token is left alone. */
  async logout(principal: Principal, refreshToken: string): Promise<void> {
    const stored = await this.prisma.refreshToken.findUnique({ where: { tokenHash: sha256(refreshToken) } });
    if (stored && principal.kind === 'user' && stored.userId === principal.id) await this.revokeFamily(stored.familyId);
  }

  /**
   * Identifies the caller from `Authorization: Bearer` (JWT or API key), `X-API-Key`, or HTTP Basic
   * with an API key as the password (any user name): how TAXII clients send credentials.
   */
  async authenticate(headers: Record<string, string | string[] | undefined>): Promise<Principal> {
    const apiKeyHeader = headers['x-api-key'];
    const authorization = headers.authorization;
    const bearer = typeof authorization === 'string' && /^bearer /i.test(authorization) ? authorization.slice(7).trim() : undefined;
    const basic = typeof authorization === 'string' && /^basic /i.test(authorization) ? Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8') : undefined;
    if (typeof apiKeyHeader === 'string') return this.authenticateApiKey(apiKeyHeader);
    if (bearer?.startsWith(API_KEY_PREFIX)) return this.authenticateApiKey(bearer);
    if (bearer) return this.authenticateJwt(bearer);
    if (basic !== undefined) return this.authenticateApiKey(basic.slice(basic.indexOf(':') + 1));
    throw new UnauthorizedException('Authentication required: a bearer token or an API key.');
  }

  private async authenticateJwt(token: string): Promise<Principal> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token);
    } catch {
      throw new UnauthorizedException('Invalid or expired access token.');
    }
    return this.userPrincipal(claims.sub);
  }

  /** The user as stored now, not as a token says: a disabled user or a changed role takes effect at once. */
  private async userPrincipal(id: string): Promise<Principal> {
    const user = await this.users.get(id, () => this.credentials.userById(id));
    if (!user || user.disabledAt) throw new UnauthorizedException('Invalid or expired access token.');
    return { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role };
  }

  private async authenticateApiKey(key: string): Promise<Principal> {
    const prefix = apiKeyPrefix(key);
    const stored = prefix
      ? await this.keys.get(prefix, () => this.credentials.keyByPrefix(prefix))
      : undefined;
    if (!stored || stored.revokedAt || !sameHash(stored.keyHash, sha256(key))) {
      throw new UnauthorizedException('Invalid or revoked API key.');
    }
    const now = Date.now();
    if (!stored.lastUsedAt || now - stored.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      stored.lastUsedAt = new Date(now);
      await this.prisma.apiKey.update({ where: { id: stored.id }, data: { lastUsedAt: stored.lastUsedAt } });
    }
    return { kind: 'apiKey', id: stored.id, name: stored.name, scopes: stored.scopes };
  }

  private async issueTokens(user: User, familyId: string): Promise<TokenResponse> {
    const refreshToken = randomToken();
    await this.prisma.refreshToken.create({
      data: {
        userId: user.id,
        familyId,
        tokenHash: sha256(refreshToken),
        expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
      },
    });
    const accessToken = await this.jwt.signAsync({ sub: user.id, role: user.role });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.accessTokenTtlSeconds,
      refreshToken,
      user: toUserResponse(user),
    };
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
