import { Global, Module } from '@nestjs/common';
import { DatabaseEvents } from './database-events.service.js';
import { PrismaService } from './prisma.service.js';
import { Transactions } from './transactions.js';

@Global()
@Module({ providers: [PrismaService, DatabaseEvents, Transactions], exports: [PrismaService, DatabaseEvents, Transactions] })
export class PrismaModule {}
