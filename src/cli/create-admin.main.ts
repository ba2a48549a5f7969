import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { createBootstrapLogger } from '../logging/bootstrap-logger.js';
import { createAdmin } from './create-admin.js';

try {
  Logger.overrideLogger(createBootstrapLogger(AppConfig.fromEnv()));
} catch {
  // an invalid environment is reported by createAdmin itself
}

createAdmin(process.argv.slice(2))
  .then(({ code, output }) => {
    (code === 0 ? process.stdout : process.stderr).write(`${output}\n`);
    process.exit(code);
  })
  .catch((err: unknown) => {
    process.stderr.write(`create-admin failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
