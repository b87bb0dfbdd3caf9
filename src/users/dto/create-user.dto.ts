import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsEnum, IsString, MaxLength, MinLength } from 'class-validator';
import { Role } from '../../generated/prisma/enums.js';
import { TrimmedText } from '../../common/text.js';

export const lowerCaseEmail = Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

export class CreateUserDto {
  @ApiProperty({ example: 'analyst@example.org' })
  @lowerCaseEmail
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Ana Lyst' })
  @TrimmedText(200)
  name: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role: Role;

  /** 12 to 256 characters. */
  @ApiProperty({ minLength: 12, maxLength: 256, format: 'password' })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;
}
