import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING = `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH)`;

/** Where browser tests write their screenshots (ignored by git). */
export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

/**
 * Whether the browser tests can run here. Without Chromium they fail under CI (CI=true) and are
 * skipped, loudly, elsewhere.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') return true; // the launch fails with CHROMIUM_MISSING: CI never skips
  console.warn(`\n!!! Browser tests SKIPPED. ${CHROMIUM_MISSING} !!!\n`);
  return false;
}

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless Chromium as root, with everything that would reach out to other hosts switched off
 * (background networking, component updates, sync). Playwright gives every launch a fresh,
 * empty user-data-dir of its own (and refuses --user-data-dir in launch()).
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_MISSING);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}
