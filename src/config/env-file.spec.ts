import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile } from './env-file.js';

describe('loadEnvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'env-file-'));
  const file = join(dir, 'test.env');
  writeFileSync(file, '# a comment\nSHOP_ENV_FILE_A=from-file\nSHOP_ENV_FILE_B="quoted value"\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the named file; a variable already set in the environment wins', () => {
    const env: NodeJS.ProcessEnv = { ENV_FILE: file, SHOP_ENV_FILE_A: 'from-environment' };
    expect(loadEnvFile(env)).toBe(file);
    expect(env).toEqual({ ENV_FILE: file, SHOP_ENV_FILE_A: 'from-environment', SHOP_ENV_FILE_B: 'quoted value' });
  });

  it('loads nothing with ENV_FILE empty, and nothing (silently) when the default .env is absent', () => {
    const env: NodeJS.ProcessEnv = { ENV_FILE: '' };
    expect(loadEnvFile(env)).toBeUndefined();
    expect(env).toEqual({ ENV_FILE: '' });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(loadEnvFile({})).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a named file that does not exist, saying how to fix it', () => {
    expect(() => loadEnvFile({ ENV_FILE: join(dir, 'missing.env') })).toThrow(/missing\.env: no such file.*unset ENV_FILE/);
  });
});
