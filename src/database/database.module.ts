import { Global, Module } from '@nestjs/common';
import { DatabaseReaders } from './database-readers.js';
import { PrismaService } from './prisma.service.js';

@Global()
@Module({
  providers: [PrismaService, DatabaseReaders],
  exports: [PrismaService, DatabaseReaders],
})
export class DatabaseModule {}
