import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { toPage, type Page } from '../common/pagination.js';
import { conflict, unprocessable, unprocessableFields, type FieldError } from '../common/problem.js';
import { AppConfig } from '../config/app-config.service.js';
import { PrismaService } from '../database/prisma.service.js';
import type { AlertRule, AlertDelivery, AlertEvent, User } from '../generated/prisma/client.js';
import type { AlertTrigger, AlertEventType } from '../vocabulary/alerts.js';
import { pingMessage } from './alert-message.js';
import { AlertsRepository } from './alerts.repository.js';
import type { AlertRuleResponse, AlertTestResponse, CreateAlertRuleDto, UpdateAlertRuleDto } from './dto/alert-rule.dto.js';
import type { DeliveryQueryDto, DeliveryResponse, DeliveryStatus } from './dto/delivery.dto.js';
import { randomSecret } from './webhook-secret.js';
import { sendWebhook } from './webhook-sender.js';
import { webhookUrlProblem } from './webhook-target.js';

type RuleRow = AlertRule & { owner: Pick<User, 'id' | 'name'> | null };
const WITH_OWNER = { owner: { select: { id: true, name: true } } } as const;
const WITH_EVENT = { event: { select: { type: true, claimId: true } } } as const;

const toResponse = (rule: RuleRow, secret?: string): AlertRuleResponse => ({
  id: rule.id,
  name: rule.name,
  owner: rule.owner,
  claimIds: rule.claimIds,
  topic: rule.topic,
  entity: rule.entity,
  search: rule.search,
  events: rule.events as AlertTrigger[],
  minMovePoints: rule.minMovePoints,
  webhookUrl: rule.webhookUrl,
  inbox: rule.inbox,
  enabled: rule.disabledAt === null,
  disabledReason: rule.disabledReason,
  createdAt: rule.createdAt,
  updatedAt: rule.updatedAt,
  ...(secret ? { secret } : {}),
});

const toDelivery = (row: AlertDelivery & { event: Pick<AlertEvent, 'type' | 'claimId'> }): DeliveryResponse => ({
  id: row.id,
  eventId: row.eventId,
  type: row.event.type as AlertEventType,
  claimId: row.event.claimId,
  triggers: row.triggers as AlertTrigger[],
  status: row.status as DeliveryStatus,
  attempts: row.attempts,
  lastAttemptAt: row.lastAttemptAt,
  nextAttemptAt: row.nextAttemptAt,
  deliveredAt: row.deliveredAt,
  lastStatus: row.lastStatus,
  lastError: row.lastError,
  lastResponse: row.lastResponse,
  createdAt: row.createdAt,
});

/**
 * Alert rules: a user's own (told to their inbox, a webhook, or both), and integrations, which
 * admins manage. A rule is seen and changed only by its owner (integrations: by admins); to
 * anyone else it does not exist (404).
 */
@Injectable()
export class AlertRulesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: AlertsRepository,
    private readonly config: AppConfig,
  ) {}

  async list(user: Principal): Promise<AlertRuleResponse[]> {
    const rules = await this.prisma.alertRule.findMany({
      where: user.kind === 'user' && user.role === 'admin' ? { OR: [{ ownerId: user.id }, { ownerId: null }] } : { ownerId: user.id },
      include: WITH_OWNER,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rules.map((rule) => toResponse(rule));
  }

  async get(user: Principal, id: string): Promise<AlertRuleResponse> {
    return toResponse(await this.find(user, id));
  }

  async create(user: Principal, input: CreateAlertRuleDto): Promise<AlertRuleResponse> {
    if (input.integration && (user.kind !== 'user' || user.role !== 'admin')) throw new ForbiddenException('Only admins make integrations.');
    const inbox = input.integration ? false : (input.inbox ?? !input.webhookUrl);
    await this.check({ ...input, inbox }, input, Boolean(input.integration));
    const secret = input.webhookUrl ? randomSecret() : undefined;
    const rule = await this.prisma.alertRule.create({
      data: {
        name: input.name,
        ownerId: input.integration ? null : user.id,
        claimIds: input.claimIds ?? [],
        topic: input.topic ?? null,
        entity: input.entity ?? null,
        search: input.search ?? null,
        events: input.events,
        minMovePoints: input.minMovePoints ?? null,
        webhookUrl: input.webhookUrl ?? null,
        webhookSecret: secret ?? null,
        inbox,
      },
      include: WITH_OWNER,
    });
    return toResponse(rule, secret);
  }

  async update(user: Principal, id: string, input: UpdateAlertRuleDto): Promise<AlertRuleResponse> {
    const rule = await this.find(user, id);
    const after = {
      events: input.events ?? (rule.events as AlertTrigger[]),
      minMovePoints: input.minMovePoints ?? rule.minMovePoints ?? undefined,
      webhookUrl: input.webhookUrl ?? rule.webhookUrl ?? undefined,
      inbox: input.inbox ?? rule.inbox,
    };
    await this.check(after, input, rule.ownerId === null);
    // A webhook set for the first time, or moved elsewhere, gets a new secret: the old one may be known there.
    const secret = input.webhookUrl && input.webhookUrl !== rule.webhookUrl ? randomSecret() : undefined;
    const updated = await this.prisma.alertRule.update({
      where: { id },
      data: {
        name: input.name,
        claimIds: input.claimIds,
        topic: input.topic,
        entity: input.entity,
        search: input.search,
        events: input.events,
        minMovePoints: input.minMovePoints,
        webhookUrl: input.webhookUrl,
        ...(secret ? { webhookSecret: secret } : {}),
        inbox: input.inbox,
        ...(input.enabled === undefined ? {} : { disabledAt: input.enabled ? null : new Date(), disabledReason: input.enabled ? null : 'Paused by its owner.' }),
      },
      include: WITH_OWNER,
    });
    return toResponse(updated, secret);
  }

  async remove(user: Principal, id: string): Promise<void> {
    await this.find(user, id);
    await this.prisma.alertRule.delete({ where: { id } });
  }

  /** Sends a signed "ping" to the rule's webhook now, and answers what came back. */
  async test(user: Principal, id: string): Promise<AlertTestResponse> {
    const rule = await this.find(user, id);
    if (!rule.webhookUrl || !rule.webhookSecret) throw unprocessable('webhookUrl', 'the rule has no webhook to test');
    const { timeoutMs, privateAddresses } = this.config.alerts;
    const result = await sendWebhook(rule.webhookUrl, rule.webhookSecret, `ping_${Date.now()}`, JSON.stringify(pingMessage(rule, new Date())), { timeoutMs, privateAddresses });
    return { ok: result.status !== null && result.status >= 200 && result.status < 300, status: result.status, error: result.error, response: result.body };
  }

  async deliveries(user: Principal, id: string, query: DeliveryQueryDto): Promise<Page<DeliveryResponse>> {
    await this.find(user, id);
    const where = { ruleId: id, ...(query.status ? { status: query.status } : {}) };
    const [rows, total] = await Promise.all([
      this.prisma.alertDelivery.findMany({
        where,
        include: WITH_EVENT,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
        take: query.limit + 1,
      }),
      this.prisma.alertDelivery.count({ where }),
    ]);
    return toPage(rows, total, query.limit, (row) => row.id, toDelivery);
  }

  /** Sends a failed delivery again, with a fresh retry period. */
  async redeliver(user: Principal, id: string, deliveryId: string): Promise<DeliveryResponse> {
    const rule = await this.find(user, id);
    const delivery = await this.prisma.alertDelivery.findFirst({ where: { id: deliveryId, ruleId: id }, include: WITH_EVENT });
    if (!delivery) throw new NotFoundException(`Rule ${id} has no delivery ${deliveryId}.`);
    if (rule.disabledAt) throw conflict(`Rule ${id} is disabled (${rule.disabledReason ?? 'paused'}); enable it first: PATCH it with "enabled": true.`);
    if (!(await this.repository.redeliver(deliveryId))) throw conflict(`Delivery ${deliveryId} is ${delivery.status}: only a failed delivery is sent again.`);
    // As queued: its first new attempt may already be under way.
    return toDelivery({ ...delivery, status: 'pending', nextAttemptAt: new Date() });
  }

  /** The rule, if `user` may see it: their own, or (admins) an integration. */
  private async find(user: Principal, id: string): Promise<RuleRow> {
    const rule = await this.prisma.alertRule.findUnique({ where: { id }, include: WITH_OWNER });
    const mine = rule && (rule.ownerId === user.id || (rule.ownerId === null && user.kind === 'user' && user.role === 'admin'));
    if (!mine) throw new NotFoundException(`Alert rule ${id} not found.`);
    return rule;
  }

  /**
   * Every reason the rule cannot be stored, as one 422 (or none): the rule as it would be
   * (`after`), and the claims and webhook URL given now (`given`), which are checked as they stand now.
   */
  private async check(
    after: { events: AlertTrigger[]; minMovePoints?: number; webhookUrl?: string; inbox: boolean },
    given: { claimIds?: string[]; webhookUrl?: string },
    integration: boolean,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (after.events.includes('assessment.moved') && after.minMovePoints === undefined) {
      errors.push({ field: 'minMovePoints', messages: ['is required with assessment.moved (1–100 percentage points)'] });
    }
    if (integration && after.inbox) errors.push({ field: 'inbox', messages: ['an integration has no inbox'] });
    if (!after.webhookUrl && !after.inbox) errors.push({ field: integration ? 'webhookUrl' : 'inbox', messages: ['the rule must deliver somewhere: a webhook, the inbox, or both'] });
    if (given.webhookUrl) {
      const problem = await webhookUrlProblem(given.webhookUrl, this.config.alerts.privateAddresses);
      if (problem) errors.push({ field: 'webhookUrl', messages: [problem] });
    }
    if (given.claimIds?.length) {
      const found = new Set((await this.prisma.claim.findMany({ where: { id: { in: given.claimIds }, archivedAt: null }, select: { id: true } })).map((c) => c.id));
      const missing = given.claimIds.filter((claimId) => !found.has(claimId));
      if (missing.length) errors.push({ field: 'claimIds', messages: [`no such claim (or archived): ${missing.join(', ')}`] });
    }
    if (errors.length) throw unprocessableFields(errors);
  }
}
