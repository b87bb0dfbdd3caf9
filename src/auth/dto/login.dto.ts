import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { lowerCaseEmail } from '../../users/dto/create-user.dto.js';

export class LoginDto {
  @ApiProperty({ example: 'analyst@claimtrack.local' })
  @lowerCaseEmail
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;

  /**
   * `cookie`: keep the refresh token out of reach of scripts, in an HttpOnly, SameSite=Strict
   * cookie for the /auth paths (Secure over HTTPS), as the console does, so that a session
   * outlives its tab. API clients leave it out and get the token in the body.
   */
  @ApiPropertyOptional({ enum: ['cookie'] })
  @IsOptional()
  @IsIn(['cookie'])
  session?: 'cookie';
}

export class RefreshDto {
  /** The refresh token from the last login or refresh; each is good for one use. Leave it out to use the session cookie. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken?: string;
}
