import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
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
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from the last login or refresh; each is good for one use.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken: string;
}
