import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../generated/prisma/enums.js';
import type { User } from '../../generated/prisma/client.js';

export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  email: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: Role })
  role: Role;
  @ApiProperty()
  disabled: boolean;
  @ApiProperty()
  createdAt: Date;
}

export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt,
  };
}
