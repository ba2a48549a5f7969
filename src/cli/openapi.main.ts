import '../wasm-compiler.js';
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type INestApplication, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module.js';
import { AppConfig } from '../config/app-config.js';
import { buildOpenApiDocument } from '../docs/openapi-document.js';

/** Where the document is committed: the contract's machine form (README, "API description and clients"). */
const COMMITTED = resolve(import.meta.dirname, '..', '..', 'openapi', 'v1.json');

/**
 * The application in Nest's preview mode (modules and routes, no provider instantiated, so no
 * database), enough to describe it.
 */
async function createDescribableApp(): Promise<INestApplication> {
  const config = AppConfig.fromEnv({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://describe-only@127.0.0.1:1/none', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), { preview: true, logger: false });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  return app;
}

/** `npm run openapi` writes openapi/v1.json; `npm run openapi:check` fails when it differs from what the code describes. */
async function main(check: boolean): Promise<number> {
  const app = await createDescribableApp();
  const generated = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (!check) {
    writeFileSync(COMMITTED, generated);
    process.stdout.write(`Wrote ${COMMITTED}\n`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(COMMITTED, 'utf8');
  } catch {
    // missing: reported as stale below
  }
  if (committed === generated) {
    process.stdout.write('openapi/v1.json is up to date with the code\n');
    return 0;
  }
  process.stderr.write('openapi/v1.json is stale: the code describes a different API. Run `npm run openapi` and commit openapi/v1.json.\n');
  return 1;
}

main(process.argv.includes('--check')).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`openapi failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
