import '../config/load-env-file.js';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { createBootstrapLogger } from '../logging/bootstrap-logger.js';
import { describeError } from '../logging/describe-error.js';
import { seed } from './seed.js';

try {
  Logger.overrideLogger(createBootstrapLogger(AppConfig.fromEnv()));
} catch {
  // an invalid environment is reported by seed itself
}

seed(process.argv.slice(2))
  .then(({ code, output }) => {
    (code === 0 ? process.stdout : process.stderr).write(`${output}\n`);
    process.exit(code);
  })
  .catch((err: unknown) => {
    process.stderr.write(`db:seed failed: ${describeError(err, { stack: false })}\n`);
    process.exit(1);
  });
