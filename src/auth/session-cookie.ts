import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.service.js';
import type { TokenResponse } from './dto/token.response.js';

const NAME = 'claimtrack_refresh';
/** Sent only to sign-in, refresh and sign-out. */
const PATH = '/auth';

/**
 * The console's refresh token, kept in a cookie scripts cannot read (HttpOnly) and other
 * sites cannot send (SameSite=Strict), Secure whenever the service is reached over HTTPS;
 * so a session outlives its tab and a script injected into a page cannot take it away.
 */
@Injectable()
export class SessionCookie {
  constructor(private readonly config: AppConfig) {}

  /** Sets the cookie to the new refresh token, which the body then leaves out. */
  keep(tokens: TokenResponse, request: FastifyRequest, reply: FastifyReply): TokenResponse {
    const { refreshToken, ...rest } = tokens;
    void reply.setCookie(NAME, refreshToken!, {
      httpOnly: true,
      sameSite: 'strict',
      path: PATH,
      secure: this.config.servedOverHttps || request.protocol === 'https',
      maxAge: this.config.refreshTokenTtlSeconds,
    });
    return rest;
  }

  read(request: FastifyRequest, { required = true } = {}): string {
    const token = request.cookies[NAME];
    if (!token && required) throw new UnauthorizedException('No refresh token: send refreshToken, or sign in again.');
    return token ?? '';
  }

  clear(reply: FastifyReply): void {
    void reply.clearCookie(NAME, { path: PATH });
  }
}
