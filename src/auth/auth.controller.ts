import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
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
  ) {}

  @Post('login')
  @Public()
  @RouteConfig(ACCOUNT_RATE_LIMIT)
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password; returns an access token and a refresh token.' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'Invalid email or password (one message for both).' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts for this account, or from this client address; wait and retry (Retry-After).' })
  login(@Body() body: LoginDto): Promise<TokenResponse> {
    return this.auth.login(body.email, body.password);
  }

  @Post('refresh')
  @Public()
  @RouteConfig(ADDRESS_RATE_LIMIT)
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for new tokens. A token used twice revokes its family.' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, revoked or reused refresh token.' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this client; wait and retry.' })
  refresh(@Body() body: RefreshDto): Promise<TokenResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Roles('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: revoke the refresh token and every token rotated from the same sign-in.' })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() principal: Principal, @Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(principal, body.refreshToken);
  }

  @Get('me')
  @Roles('viewer')
  @ApiOperation({ summary: 'The signed-in user.' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentPrincipal() principal: Principal): Promise<UserResponse> {
    return this.users.me(principal);
  }
}
