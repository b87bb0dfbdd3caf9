import { Global, Module } from '@nestjs/common';
import { DatabaseEvents } from './database-events.service.js';
import { PrismaService } from './prisma.service.js';

@Global()
@Module({ providers: [PrismaService, DatabaseEvents], exports: [PrismaService, DatabaseEvents] })
export class PrismaModule {}
