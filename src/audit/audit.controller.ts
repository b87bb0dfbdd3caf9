import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ReadAccess } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { AuditService } from './audit.service.js';
import { AuditEventResponse } from './dto/audit-event.response.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'Audit events, newest first: who changed what, when, with before and after.' })
  @ApiOkResponse({ type: pageSchema(AuditEventResponse) })
  list(@CurrentPrincipal() principal: Principal, @Query() query: AuditQueryDto): Promise<Page<AuditEventResponse>> {
    return this.audit.list(query, principal);
  }
}
