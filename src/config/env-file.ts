import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Loads `.env` from the working folder into the environment, for every command (the service,
 * create-admin, db:seed; scripts/env-file.cjs does the same for the .cjs scripts). Variables
 * already set in the environment win. ENV_FILE names another file; `ENV_FILE=` loads none.
 * Node's own parser (util.parseEnv, as process.loadEnvFile and --env-file use): no dotenv.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.ENV_FILE ?? '.env';
  if (file === '') return undefined;
  if (!existsSync(file)) {
    if (env.ENV_FILE === undefined) return undefined;
    throw new Error(`ENV_FILE=${file}: no such file (unset ENV_FILE to read .env if it exists, or set ENV_FILE= to read none)`);
  }
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[name] === undefined) env[name] = value;
  }
  return file;
}
