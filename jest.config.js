// Jest in native ESM mode (`npm test` passes --experimental-vm-modules): NestJS 12 packages are
// ES modules. TypeScript is compiled by SWC, with decorator metadata.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * ES-module packages in node_modules. Jest on Node < 24.9 cannot `require()` an ES module, which
 * CommonJS dependencies such as @fastify/static do (content-disposition 2 is ESM-only); SWC
 * compiles these packages so that Jest's CommonJS loader can take them too.
 */
function esmPackages(dir = 'node_modules') {
  const names = []
  for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
    if (entry.startsWith('.')) continue
    const scoped = entry.startsWith('@')
    for (const name of scoped ? readdirSync(join(dir, entry)).map((n) => `${entry}/${n}`) : [entry]) {
      try {
        if (JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')).type === 'module') names.push(name)
      } catch {
        // not a package
      }
    }
  }
  return names
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const swc = (parser) => [
  '@swc/jest',
  {
    jsc: {
      parser,
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    sourceMaps: 'inline',
  },
]

/** @type {import('jest').Config} */
export default {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '(src|test)/.*\\.(spec|e2e-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': swc({ syntax: 'typescript', decorators: true }),
    '/node_modules/.+\\.js$': swc({ syntax: 'ecmascript' }),
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().map(escape).join('|')})/)`],
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  // Generous: the suite must pass on a busy 2-core machine (a benchmark or a second suite beside it).
  testTimeout: 60000,
  // Each file gets its own database, so files run in parallel on the 2 cores.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
}
