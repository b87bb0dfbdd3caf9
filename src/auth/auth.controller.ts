import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { UserResponse } from '../users/dto/user.response.js';
import { UsersService } from '../users/users.service.js';
import { CurrentPrincipal, Roles } from './access.decorators.js';
import { AuthService } from './auth.service.js';
import { LoginDto, RefreshDto } from './dto/login.dto.js';
import { TokenResponse } from './dto/token.response.js';
import type { Principal } from './principal.js';
import { Public } from './public.decorator.js';
import { SessionCookie } from './session-cookie.js';

/** Per client address (LOGIN_THROTTLE_ADDRESS_LIMIT; see configureApp). */
const ADDRESS_RATE_LIMIT = { rateLimit: {} };
/** Also per account (LOGIN_THROTTLE_LIMIT), so one person's typos do not lock out colleagues behind the same address. */
const ACCOUNT_RATE_LIMIT = {
  ...ADDRESS_RATE_LIMIT,
  accountThrottle: (body: unknown) => {
    const email = (body as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' ? email.trim().toLowerCase() : undefined;
  },
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly sessionCookie: SessionCookie,
  ) {}

  @Post('login')
  @Public()
  @RouteConfig(ACCOUNT_RATE_LIMIT)
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password; returns an access token and a refresh token.' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'Invalid email or password (one message for both).' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts for this account, or from this client address; wait and retry (Retry-After).' })
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const tokens = await this.auth.login(body.email, body.password);
    return body.session === 'cookie' ? this.sessionCookie.keep(tokens, request, reply) : tokens;
  }

  @Post('refresh')
  @Public()
  @RouteConfig(ADDRESS_RATE_LIMIT)
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for new tokens. A token used twice revokes its family.' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, revoked or reused refresh token.' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this client; wait and retry.' })
  async refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const fromCookie = body.refreshToken === undefined;
    const tokens = await this.auth.refresh(body.refreshToken ?? this.sessionCookie.read(request));
    return fromCookie ? this.sessionCookie.keep(tokens, request, reply) : tokens;
  }

  @Post('logout')
  @Roles('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: revoke the refresh token and every token rotated from the same sign-in.' })
  @ApiNoContentResponse()
  async logout(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RefreshDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const token = body.refreshToken ?? this.sessionCookie.read(request, { required: false });
    if (token) await this.auth.logout(principal, token);
    this.sessionCookie.clear(reply);
  }

  @Get('me')
  @Roles('viewer')
  @ApiOperation({ summary: 'The signed-in user.' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentPrincipal() principal: Principal): Promise<UserResponse> {
    return this.users.me(principal);
  }
}
