import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserResponse } from '../../users/dto/user.response.js';

export class TokenResponse {
  @ApiProperty({ description: 'Short-lived JWT for `Authorization: Bearer`.' })
  accessToken: string;
  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires.' })
  expiresIn: number;
  @ApiPropertyOptional({ description: 'Single-use token for POST /auth/refresh; absent when it was set as a cookie (`session: "cookie"`).' })
  refreshToken?: string;
  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}
