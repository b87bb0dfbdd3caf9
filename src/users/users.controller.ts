import { ApiProblems } from '../common/openapi.js';
import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/params.js';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema, PageQueryDto, type Page } from '../common/pagination.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UpdateMeDto } from './dto/update-me.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserResponse } from './dto/user.response.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Patch('me')
  @Roles('viewer')
  @ApiOperation({ summary: 'Change your own name or password (never your role).' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblems({ 400: 'currentPassword is wrong, or a field is invalid.' })
  updateMe(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<UserResponse> {
    return this.users.updateMe(principal, body);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user.' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiProblems({ 409: 'A user with this email exists.' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto): Promise<UserResponse> {
    return this.users.create(principal, body);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List users.' })
  @ApiOkResponse({ type: pageSchema(UserResponse) })
  list(@Query() query: PageQueryDto): Promise<Page<UserResponse>> {
    return this.users.list(query);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One user.' })
  @ApiOkResponse({ type: UserResponse })
  get(@UuidParam('id') id: string): Promise<UserResponse> {
    return this.users.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: "Change a user's name, role, password or disabled state." })
  @ApiOkResponse({ type: UserResponse })
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponse> {
    return this.users.update(principal, id, body);
  }
}
