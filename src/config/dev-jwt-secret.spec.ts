import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devJwtSecret } from './dev-jwt-secret.js';

describe('devJwtSecret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-jwt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a strong secret once, readable only by its owner, and returns the same one afterwards', () => {
    const first = devJwtSecret(join(dir, 'data'));
    expect(first.created).toBe(true);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const again = devJwtSecret(join(dir, 'data'));
    expect(again).toEqual({ ...first, created: false });
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.secret);
  });
});
