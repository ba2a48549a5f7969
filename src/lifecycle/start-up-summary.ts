import type { AppConfig } from '../config/app-config.js';
import type { SeedResult } from '../seed/seed.service.js';

/** A link a person can click: the wildcard addresses the service listens on are reached through localhost. */
export function baseUrlOf(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** Where to go once the service is up: the API, the docs, the console, and the first admin when the seed just made one. */
export function startUpLinks(config: AppConfig, port: number, consoleBuilt: boolean): Record<string, string> {
  const base = baseUrlOf(config.host, port);
  return {
    api: `${base}/v1`,
    ...(config.docsEnabled ? { docs: `${base}/docs`, redoc: `${base}/redoc` } : {}),
    ...(consoleBuilt ? { console: `${base}/admin` } : {}),
  };
}

const LABELS: Record<string, string> = { api: 'API', docs: 'Swagger UI', redoc: 'ReDoc', console: 'Console' };

/** The short block printed after start-up in development. */
export function startUpBlock(links: Record<string, string>, seed?: SeedResult): string {
  const lines = ['', '  Shop API is ready', ...Object.entries(links).map(([key, url]) => `    ${(LABELS[key] ?? key).padEnd(11)}${url}`)];
  if (seed?.admin) {
    const password = seed.admin.generatedPassword ?? '(ADMIN_PASSWORD)';
    lines.push(`    ${'Admin'.padEnd(11)}${seed.admin.email} / ${password}`);
    if (seed.admin.generatedPassword) lines.push(`    ${''.padEnd(11)}shown once; set ADMIN_EMAIL / ADMIN_PASSWORD to choose them`);
  }
  return `${lines.join('\n')}\n\n`;
}
