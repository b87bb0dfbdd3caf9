import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems } from '../common/openapi.js';
import { pageSchema, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/params.js';
import { AlertRulesService } from './alert-rules.service.js';
import { AlertRuleResponse, AlertTestResponse, CreateAlertRuleDto, UpdateAlertRuleDto } from './dto/alert-rule.dto.js';
import { DeliveryQueryDto, DeliveryResponse } from './dto/delivery.dto.js';

const NOT_YOURS = 'No such rule of yours (integrations: admins only).';

/** Users' own rules (API keys have no inbox and own nothing); integrations are admins'. */
@ApiTags('alerts')
@Controller('alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({ summary: 'Your alert rules, newest first (admins: and the integrations).' })
  @ApiOkResponse({ type: [AlertRuleResponse] })
  list(@CurrentPrincipal() user: Principal): Promise<AlertRuleResponse[]> {
    return this.rules.list(user);
  }

  @Post()
  @Roles('viewer')
  @ApiOperation({ summary: 'Make a rule: which claims, which events, and where to tell (your inbox, a signed webhook, or both). A webhook\'s secret is answered once, here.' })
  @ApiCreatedResponse({ type: AlertRuleResponse })
  @ApiProblems({ 403: 'An integration, by someone not an admin.', 422: 'A webhook URL refused (not https, a private address…), claims that do not exist, minMovePoints missing for assessment.moved, or nowhere to deliver.' })
  create(@CurrentPrincipal() user: Principal, @Body() input: CreateAlertRuleDto): Promise<AlertRuleResponse> {
    return this.rules.create(user, input);
  }

  @Get(':id')
  @Roles('viewer')
  @ApiOperation({ summary: 'One of your rules.' })
  @ApiOkResponse({ type: AlertRuleResponse })
  @ApiProblems({ 404: NOT_YOURS })
  get(@CurrentPrincipal() user: Principal, @UuidParam('id') id: string): Promise<AlertRuleResponse> {
    return this.rules.get(user, id);
  }

  @Patch(':id')
  @Roles('viewer')
  @ApiOperation({ summary: 'Change a rule, pause it (`enabled: false`) or enable it again. A new webhook URL gets a new secret, answered once.' })
  @ApiOkResponse({ type: AlertRuleResponse })
  @ApiProblems({ 404: NOT_YOURS, 422: 'As for a new rule.' })
  update(@CurrentPrincipal() user: Principal, @UuidParam('id') id: string, @Body() input: UpdateAlertRuleDto): Promise<AlertRuleResponse> {
    return this.rules.update(user, id, input);
  }

  @Delete(':id')
  @Roles('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a rule, with its delivery log and inbox items.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems({ 404: NOT_YOURS })
  async remove(@CurrentPrincipal() user: Principal, @UuidParam('id') id: string): Promise<void> {
    await this.rules.remove(user, id);
  }

  @Post(':id/test')
  @Roles('viewer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a signed "ping" message to the rule\'s webhook now, and answer what the receiver said.' })
  @ApiOkResponse({ type: AlertTestResponse })
  @ApiProblems({ 404: NOT_YOURS, 422: 'The rule has no webhook.' })
  test(@CurrentPrincipal() user: Principal, @UuidParam('id') id: string): Promise<AlertTestResponse> {
    return this.rules.test(user, id);
  }

  @Get(':id/deliveries')
  @Roles('viewer')
  @ApiOperation({ summary: "The rule's delivery log, newest first: each event sent to its webhook, its state, attempts and the last answer." })
  @ApiOkResponse({ type: pageSchema(DeliveryResponse) })
  @ApiProblems({ 404: NOT_YOURS })
  deliveries(@CurrentPrincipal() user: Principal, @UuidParam('id') id: string, @Query() query: DeliveryQueryDto): Promise<Page<DeliveryResponse>> {
    return this.rules.deliveries(user, id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @Roles('viewer')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a failed delivery again (same message id), with a fresh retry period.' })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiProblems({ 404: 'No such rule of yours, or no such delivery of it.', 409: 'The delivery is not failed, or the rule is disabled.' })
  redeliver(@CurrentPrincipal() user: Principal, @UuidParam('id') id: string, @UuidParam('deliveryId') deliveryId: string): Promise<DeliveryResponse> {
    return this.rules.redeliver(user, id, deliveryId);
  }
}
