import { ApiProperty } from '@nestjs/swagger';
import { UserResponse } from '../../users/dto/user.response.js';

export class TokenResponse {
  @ApiProperty({ description: 'Short-lived JWT for `Authorization: Bearer`.' })
  accessToken: string;
  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires.' })
  expiresIn: number;
  @ApiProperty({ description: 'Single-use token for POST /auth/refresh.' })
  refreshToken: string;
  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}
