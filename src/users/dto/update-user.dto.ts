import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Role } from '../../generated/prisma/enums.js';
import { TrimmedText } from '../../common/text.js';

/** What an admin may change on any user. */
export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @TrimmedText(200)
  name?: string;

  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  /** A disabled user cannot sign in, and their tokens stop working. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ minLength: 12, maxLength: 256, format: 'password' })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;
}
