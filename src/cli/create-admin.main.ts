import '../config/load-env-file.js';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { createBootstrapLogger } from '../logging/bootstrap-logger.js';
import { describeError } from '../logging/describe-error.js';
import { createAdmin, type CliInput } from './create-admin.js';
import { promptHidden } from './hidden-prompt.js';

try {
  Logger.overrideLogger(createBootstrapLogger(AppConfig.fromEnv()));
} catch {
  // an invalid environment is reported by createAdmin itself
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const input: CliInput = { readStdin, promptHidden: process.stdin.isTTY ? promptHidden : undefined };

createAdmin(process.argv.slice(2), process.env, input)
  .then(({ code, output }) => {
    (code === 0 ? process.stdout : process.stderr).write(`${output}\n`);
    process.exit(code);
  })
  .catch((err: unknown) => {
    process.stderr.write(`create-admin failed: ${describeError(err, { stack: false })}\n`);
    process.exit(1);
  });
