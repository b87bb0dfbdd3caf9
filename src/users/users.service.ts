import { BadRequestException, ConflictException, ForbiddenException, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { actorId, type Principal } from '../auth/principal.js';
import { hashPassword, verifyPassword } from '../auth/secrets.js';
import { AppConfig } from '../config/app-config.service.js';
import { Transactions } from '../database/transactions.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Role } from '../generated/prisma/enums.js';
import type { User } from '../generated/prisma/client.js';
import { BY_ID, cursorAfter, rowsAfter, toPage, type Page, type PageQueryDto } from '../common/pagination.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import type { UpdateMeDto } from './dto/update-me.dto.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';
import { toUserResponse, type UserResponse } from './dto/user.response.js';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly transactions: Transactions,
  ) {}

  /** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when that user does not exist yet. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.initialAdmin;
    if (!admin) return;
    const created = await this.ensureUser({ email: admin.email.toLowerCase(), name: 'Administrator', role: 'admin', password: admin.password });
    if (created) this.logger.log(`Created admin ${created.email} from ADMIN_EMAIL`);
  }

  /** Creates a user unless one with the email exists; returns the new user, or null. */
  async ensureUser(input: CreateUserDto, options: { disabled?: boolean } = {}): Promise<UserResponse | null> {
    if (await this.prisma.user.findUnique({ where: { email: input.email } })) return null;
    return this.create(null, input, options);
  }

  async create(actor: Principal | null, input: CreateUserDto, { disabled = false } = {}): Promise<UserResponse> {
    const passwordHash = await hashPassword(input.password);
    return this.prisma.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: input.email } })) {
        throw new ConflictException(`A user with email ${input.email} already exists.`);
      }
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash, disabledAt: disabled ? new Date() : null },
      });
      const response = toUserResponse(user);
      await this.audit.record(tx, actor, { action: 'user.create', entityType: 'user', entityId: user.id, after: response });
      return response;
    });
  }

  async list(query: PageQueryDto): Promise<Page<UserResponse>> {
    const [rows, total] = await Promise.all([
      this.prisma.user.findMany({ where: rowsAfter(query.cursor, BY_ID), orderBy: { id: 'asc' }, take: query.limit + 1 }),
      this.prisma.user.count(),
    ]);
    return toPage(rows, total, query.limit, (row) => cursorAfter(BY_ID, row.id), toUserResponse);
  }

  async get(id: string): Promise<UserResponse> {
    return toUserResponse(await this.find(id));
  }

  async me(principal: Principal): Promise<UserResponse> {
    return this.get(actorId(principal));
  }

  async update(actor: Principal, id: string, input: UpdateUserDto): Promise<UserResponse> {
    if (id === actorId(actor) && (input.role !== undefined || input.disabled === true)) {
      throw new ForbiddenException('Admins cannot change their own role or disable themselves.');
    }
    return this.change(actor, id, {
      name: input.name,
      role: input.role,
      disabledAt: input.disabled === undefined ? undefined : input.disabled ? new Date() : null,
      passwordHash: input.password === undefined ? undefined : await hashPassword(input.password),
    });
  }

  /**
   * Gives the user with `email` a new password and ends their sessions (the operator's
   * recovery path, `npm run users -- reset-password`). With `unlessAlready`, a user whose
   * password already is `password` is left alone. Returns whether it changed anything.
   */
  async resetPassword(email: string, password: string, { unlessAlready = false } = {}): Promise<boolean> {
    const user = await this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
    if (!user) throw new NotFoundException(`No user has the email ${email}.`);
    if (unlessAlready && (await verifyPassword(user.passwordHash, password))) return false;
    await this.change(null, user.id, { passwordHash: await hashPassword(password) });
    return true;
  }

  async updateMe(actor: Principal, input: UpdateMeDto): Promise<UserResponse> {
    const user = await this.find(actorId(actor));
    if (input.newPassword !== undefined && !(await verifyPassword(user.passwordHash, input.currentPassword ?? ''))) {
      throw new BadRequestException('currentPassword is wrong.');
    }
    return this.change(actor, user.id, {
      name: input.name,
      passwordHash: input.newPassword === undefined ? undefined : await hashPassword(input.newPassword),
    });
  }

  private async change(
    actor: Principal | null,
    id: string,
    data: { name?: string; role?: Role; disabledAt?: Date | null; passwordHash?: string },
  ): Promise<UserResponse> {
    // Announced: every instance must stop serving the old role or a disabled user at once.
    return this.transactions.write(async (tx, changed) => {
      const before = await tx.user.findUnique({ where: { id } });
      if (!before) throw new NotFoundException(`User ${id} not found.`);
      const after = await tx.user.update({ where: { id }, data });
      changed('users', id);
      if (data.passwordHash !== undefined || data.disabledAt) {
        // A new password or a disabled account ends every existing session.
        await tx.refreshToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } });
      }
      const response = toUserResponse(after);
      await this.audit.record(tx, actor, {
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        before: { ...toUserResponse(before), passwordChanged: false },
        after: { ...response, passwordChanged: data.passwordHash !== undefined },
      });
      return response;
    });
  }

  private async find(id: string): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id } });
    if (!user) throw new NotFoundException(`User ${id} not found.`);
    return user;
  }
}
