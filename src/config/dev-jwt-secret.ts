import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'dev-jwt-secret';

/**
 * The signing secret of the embedded development database when JWT_SECRET is not set: made once
 * and kept in the data folder (mode 600, git-ignored), so sessions survive restarts. Never used
 * in production or with DATABASE_URL, where JWT_SECRET is required.
 */
export function devJwtSecret(dataFolder: string): { secret: string; file: string; created: boolean } {
  const file = join(dataFolder, FILE);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return { secret, file, created: false };
  }
  mkdirSync(dataFolder, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, file, created: true };
}
