import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve('.');
const CHECKER = join(REPO, 'scripts', 'check-container.mjs');
/** Files the variants below rewrite; everything else in the checkout is linked as it is. */
const EDITABLE = ['Dockerfile', 'docker-compose.yml', '.dockerignore', 'package.json'] as const;
type Editable = (typeof EDITABLE)[number];

function runChecker(root?: string): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, [CHECKER, ...(root ? ['--root', root] : [])], { cwd: root ?? REPO, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A copy of the checkout (linked) with some files rewritten, checked, then removed. */
function checkVariant(edits: Partial<Record<Editable, (text: string) => string>>): { code: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'shop-api-container-'));
  try {
    for (const name of readdirSync(REPO)) {
      if (['.git', 'node_modules', 'dist', ...EDITABLE].includes(name)) continue;
      symlinkSync(join(REPO, name), join(root, name));
    }
    for (const name of EDITABLE) {
      const original = readFileSync(join(REPO, name), 'utf8');
      const edit = edits[name];
      const edited = edit ? edit(original) : original;
      if (edit) expect(edited).not.toBe(original); // the variant must really change something
      writeFileSync(join(root, name), edited);
    }
    return runChecker(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const replace = (from: string | RegExp, to: string) => (text: string) => text.replace(from, to);

describe('Container files (npm run check:container)', () => {
  it('passes for the Dockerfile and docker-compose.yml in the repository', () => {
    const { code, output } = runChecker();
    expect(output).toMatch(/container check passed/);
    expect(code).toBe(0);
  });

  it('passes for an unchanged copy (the variants below start from it)', () => {
    expect(checkVariant({}).code).toBe(0);
  });

  it.each<[string, Partial<Record<Editable, (text: string) => string>>, RegExp]>([
    [
      'a variable the app requires in production is missing',
      { 'docker-compose.yml': replace(/^\s+JWT_SECRET:.*\n/m, '') },
      /services\.api\.environment\.JWT_SECRET is required in production but not set/,
    ],
    [
      'a secret is written into the file',
      { 'docker-compose.yml': replace(/JWT_SECRET: .*/, 'JWT_SECRET: a-very-long-secret-written-into-the-compose-file') },
      /JWT_SECRET: a secret must come from the environment/,
    ],
    ['a variable the app does not read (typo)', { 'docker-compose.yml': replace('LOG_LEVEL:', 'LOGLEVEL:') }, /LOGLEVEL: the app reads no such variable/],
    [
      '/metrics left open (neither METRICS_TOKEN nor METRICS_PORT)',
      { 'docker-compose.yml': replace(/^\s+METRICS_PORT:.*\n/m, '') },
      /METRICS_TOKEN or METRICS_PORT must be set/,
    ],
    ['NODE_ENV is not production', { 'docker-compose.yml': replace('NODE_ENV: production', 'NODE_ENV: development') }, /NODE_ENV must be "production"/],
    [
      'PostgreSQL data on a bind mount',
      { 'docker-compose.yml': replace('- postgres-data:/var/lib/postgresql/data', '- ./pgdata:/var/lib/postgresql/data') },
      /mount a named volume on \/var\/lib\/postgresql\/data/,
    ],
    [
      'a service without a healthcheck',
      { 'docker-compose.yml': replace(/( {2}redis:\n(?:.*\n)*?) {4}healthcheck:\n(?: {6}.*\n)+/, '$1') },
      /services\.redis: no healthcheck/,
    ],
    [
      'the app does not wait for the migrations',
      { 'docker-compose.yml': replace(/( {6}migrate:\n {8}condition: )service_completed_successfully/, '$1service_started') },
      /depends_on\.migrate needs condition: service_completed_successfully/,
    ],
    [
      'Docker would kill the app before its drain ends',
      { 'docker-compose.yml': replace('stop_grace_period: 15s', 'stop_grace_period: 5s') },
      /stop_grace_period \(5000 ms\) must exceed SHUTDOWN_TIMEOUT_MS \(10000 ms\)/,
    ],
    [
      'the migration command runs a missing script',
      { 'docker-compose.yml': replace('"dist/cli/migrate.main.js", "up"', '"dist/cli/migrations.main.js", "up"') },
      /services\.migrate\.command: dist\/cli\/migrations\.main\.js does not exist/,
    ],
    ['COPY of a path that does not exist', { Dockerfile: replace('COPY src ./src', 'COPY source ./src') }, /COPY: source does not exist in the build context/],
    ['COPY of a path .dockerignore excludes', { '.dockerignore': (text) => `${text}prisma\n` }, /prisma is excluded by \.dockerignore/],
    [
      'CMD runs a file the build does not produce',
      { Dockerfile: replace('CMD ["node", "dist/main.js"]', 'CMD ["node", "dist/server.js"]') },
      /no src\/server\.ts to compile it from/,
    ],
    [
      'CMD in shell form (SIGTERM would not reach node)',
      { Dockerfile: replace('CMD ["node", "dist/main.js"]', 'CMD node dist/main.js') },
      /CMD must be in exec form/,
    ],
    ['CMD through npm', { Dockerfile: replace('CMD ["node", "dist/main.js"]', 'CMD ["npm", "start"]') }, /run node directly/],
    [
      'RUN of an npm script that does not exist',
      { Dockerfile: replace('RUN npm run build', 'RUN npm run compile') },
      /"npm run compile" but package.json has no such script/,
    ],
    ['the image runs as root', { Dockerfile: replace(/^USER node\n/m, '') }, /non-root USER/],
    [
      'a Node.js older than package.json engines',
      { Dockerfile: (text) => text.replaceAll('node:24.22.3-bookworm-slim', 'node:24.11.1-bookworm-slim') },
      /node:24\.11\.1-bookworm-slim: package\.json engines wants node \^22\.22\.3 \|\| \^24\.15\.0/,
    ],
    [
      'a base image on a floating tag',
      { Dockerfile: (text) => text.replaceAll('node:24.22.3-bookworm-slim', 'node:24-bookworm-slim') },
      /node:24-bookworm-slim: pin the base image by its exact version/,
    ],
    ['no init process (tini) as PID 1', { Dockerfile: replace(/^ENTRYPOINT .*\n/m, '') }, /the final stage has no init process/],
    ['no OCI labels', { Dockerfile: replace(/^LABEL (?:.*\\\n)*.*\n/m, '') }, /the final stage has no OCI labels/],
    ['the image keeps the devDependencies', { Dockerfile: replace('npm prune --omit=dev ', 'npm prune ') }, /node_modules keeps the devDependencies/],
    ['the image keeps optional peers (the Prisma CLI)', { Dockerfile: replace(' --omit=peer', '') }, /keeps optional peers .*add --omit=peer/],
    [
      'a top-level name (docker-compose 1.29 refuses the file)',
      { 'docker-compose.yml': (text) => `name: shop-api\n${text}` },
      /top-level "name:" is Compose v2 only/,
    ],
    [
      'a service image on a major-only tag',
      { 'docker-compose.yml': replace('image: postgres:15.20', 'image: postgres:15') },
      /services\.postgres\.image postgres:15: pin at least the minor version/,
    ],
    [
      'a run-time module only in devDependencies (--omit=dev leaves it out)',
      {
        'package.json': (text) => {
          const pkg = JSON.parse(text);
          pkg.devDependencies.umzug = pkg.dependencies.umzug;
          delete pkg.dependencies.umzug;
          return JSON.stringify(pkg, null, 2);
        },
      },
      /src\/database\/migrator\.ts loads "umzug" at run time, .* and it is a devDependency/,
    ],
  ])('fails with a clear message when %s', (_case, edits, message) => {
    const { code, output } = checkVariant(edits);
    expect(output).toMatch(/container check failed/);
    expect(output).toMatch(message);
    expect(code).toBe(1);
  });
});
