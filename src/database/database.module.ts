import { Global, Module } from '@nestjs/common';
import { Database } from './database.service.js';
import { DatabaseReaders } from './database-readers.js';
import { PrismaService } from './prisma.service.js';

@Global()
@Module({
  providers: [PrismaService, Database, DatabaseReaders],
  exports: [PrismaService, Database, DatabaseReaders],
})
export class DatabaseModule {}
