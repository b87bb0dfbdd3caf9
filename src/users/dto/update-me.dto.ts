import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { TrimmedText } from '../../common/text.js';

/** What users may change about themselves: never their role. */
export class UpdateMeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @TrimmedText(200)
  name?: string;

  @ApiPropertyOptional({ minLength: 12, maxLength: 256, format: 'password' })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  newPassword?: string;

  /** Required with `newPassword`. */
  @ApiPropertyOptional({ format: 'password' })
  @ValidateIf((dto: UpdateMeDto) => dto.newPassword !== undefined)
  @IsString()
  @MaxLength(256)
  currentPassword?: string;
}
