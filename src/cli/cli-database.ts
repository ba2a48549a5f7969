import { AppConfig } from '../config/app-config.js';
import { ConfigValidationError } from '../config/environment.js';
import { canConnect } from '../database/can-connect.js';
import { embeddedDatabaseUrl, embeddedPassword, embeddedPort } from '../database/embedded-postgres.js';
import { prepareDatabase } from '../database/prepare-database.js';
import { PrismaService } from '../database/prisma.service.js';
import { AdminAccountsService } from '../accounts/admin-accounts.service.js';
import { PasswordService } from '../accounts/password.service.js';
import { Database } from '../database/database.service.js';
import { UsersRepository } from '../users/users.repository.js';

/** A command's configuration from its environment; an invalid one is the command's exit code 2 and the message. */
export function cliConfig(env: NodeJS.ProcessEnv): AppConfig | { code: 2; output: string } {
  try {
    return AppConfig.fromEnv(env);
  } catch (err) {
    if (err instanceof ConfigValidationError) return { code: 2, output: err.message };
    throw err;
  }
}

/**
 * The database of a command-line tool (create-admin, db:seed): DATABASE_URL; else the embedded
 * server the running service already started (found through the data folder); else the embedded
 * server started for the command and stopped after it. Migrated like at start-up.
 */
export async function withCliDatabase<T>(config: AppConfig, work: (prisma: PrismaService, config: AppConfig) => Promise<T>): Promise<T> {
  if (!config.database.url) {
    const password = embeddedPassword(config.database.embeddedDir);
    const url = password && embeddedDatabaseUrl(embeddedPort(config.database.embeddedDir, config.database.embeddedPort), password);
    if (url && (await canConnect(url))) config = config.withDatabaseUrl(url);
  }
  const database = await prepareDatabase(config);
  const prisma = new PrismaService(database.config);
  try {
    return await work(prisma, database.config);
  } finally {
    await prisma.close();
    await database.stop();
  }
}

/** The admin accounts service of a command-line tool (which runs without Nest's container). */
export function cliAdminAccounts(prisma: PrismaService): AdminAccountsService {
  return new AdminAccountsService(new UsersRepository(prisma, new Database(prisma)), new PasswordService());
}
