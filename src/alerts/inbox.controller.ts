import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems } from '../common/openapi.js';
import { UuidParam } from '../common/params.js';
import { InboxPageResponse, InboxQueryDto, MarkReadDto } from './dto/inbox.dto.js';
import { InboxService } from './inbox.service.js';

@ApiTags('alerts')
@Controller('inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({ summary: 'Your inbox: events your rules delivered here, newest first, with the unread count.' })
  @ApiOkResponse({ type: InboxPageResponse })
  list(@CurrentPrincipal() user: Principal, @Query() query: InboxQueryDto): Promise<InboxPageResponse> {
    return this.inbox.list(user.id, query);
  }

  @Patch(':id')
  @Roles('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark an item read or unread.' })
  @ApiNoContentResponse({ description: 'Marked.' })
  @ApiProblems({ 404: 'No such item in your inbox.' })
  async mark(@CurrentPrincipal() user: Principal, @UuidParam('id') id: string, @Body() input: MarkReadDto): Promise<void> {
    await this.inbox.mark(user.id, id, input.read);
  }

  @Post('read')
  @Roles('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark every item read.' })
  @ApiNoContentResponse({ description: 'Marked.' })
  async markAllRead(@CurrentPrincipal() user: Principal): Promise<void> {
    await this.inbox.markAllRead(user.id);
  }
}
