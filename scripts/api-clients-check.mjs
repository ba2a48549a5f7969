#!/usr/bin/env node
// `npm run clients:check` (CI): the generated clients against the real service.
//  1. clients/typescript/src/schema.d.ts and postman/shop-api.postman_collection.json are what
//     openapi/v1.json generates now (ids aside), else: run `npm run clients:generate` and commit;
//  2. starts dist/main.js (build first) on a fresh database: a new one on DATABASE_URL's server
//     if set, else the embedded PostgreSQL in a temporary folder; seeded, rate limits off;
//  3. runs the typed client's example (compiled under strict) and the Postman collection with
//     newman against it; fails on any failed step or assertion.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import newman from 'newman'
import pg from 'pg'

const root = resolve(fileURLToPath(import.meta.url), '..', '..')
const tmp = mkdtempSync(join(tmpdir(), 'shop-clients-'))
const COLLECTION = join(root, 'postman', 'shop-api.postman_collection.json')
const SCHEMA = join(root, 'clients', 'typescript', 'src', 'schema.d.ts')

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env } })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

/** The collection without Postman's random ids, to compare two generations. */
const withoutIds = (file) =>
  JSON.stringify(JSON.parse(readFileSync(file, 'utf8')), (key, value) => (['id', '_postman_id', 'postman_id'].includes(key) ? undefined : value))

function checkGenerated() {
  run('npx', ['--no-install', 'openapi-typescript', 'openapi/v1.json', '-o', join(tmp, 'schema.d.ts'), '--root-types', '--root-types-no-schema-prefix'])
  run('npx', [
    '--no-install',
    'portman',
    '-l',
    'openapi/v1.json',
    '-c',
    'postman/portman-config.json',
    '-s',
    'postman/postman-config.json',
    '-o',
    join(tmp, 'collection.json'),
    '-b',
    'http://localhost:3000',
    '--collectionName',
    'Shop API v1',
  ])
  const stale = []
  if (readFileSync(join(tmp, 'schema.d.ts'), 'utf8') !== readFileSync(SCHEMA, 'utf8')) stale.push('clients/typescript/src/schema.d.ts')
  if (withoutIds(join(tmp, 'collection.json')) !== withoutIds(COLLECTION)) stale.push('postman/shop-api.postman_collection.json')
  if (stale.length > 0) throw new Error(`${stale.join(' and ')} differ from what openapi/v1.json generates: run \`npm run clients:generate\` and commit them`)
  console.log('ok  the client types and the Postman collection are generated from openapi/v1.json')
}

const freePort = () =>
  new Promise((done, fail) => {
    const server = createServer()
      .once('error', fail)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address()
        server.close(() => done(port))
      })
  })

/** A fresh database: a new one on DATABASE_URL's server, or nothing (the service starts the embedded one). */
async function freshDatabase() {
  if (!process.env.DATABASE_URL) return { env: { EMBEDDED_PG_DIR: join(tmp, 'pg'), EMBEDDED_PG_PORT: String(await freePort()) }, drop: async () => undefined }
  const name = `shop_clients_${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`CREATE DATABASE "${name}"`)
  const url = new URL(process.env.DATABASE_URL)
  url.pathname = `/${name}`
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) }
}

async function startService(env) {
  const port = await freePort()
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
    },
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}):\n${stderr}`)
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) return { baseUrl, stop: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', done), child.kill('SIGTERM')))) }
    await new Promise((done) => setTimeout(done, 250))
  }
  child.kill('SIGKILL')
  throw new Error(`the service was not ready within 120 s:\n${stderr}`)
}

function runNewman(baseUrl, admin) {
  return new Promise((done, fail) => {
    newman.run(
      {
        collection: JSON.parse(readFileSync(COLLECTION, 'utf8')),
        envVar: [
          { key: 'baseUrl', value: baseUrl },
          { key: 'adminEmail', value: admin.email },
          { key: 'adminPassword', value: admin.password },
        ],
        reporters: ['cli'],
        reporter: { cli: { noSummary: false, noBanner: true } },
      },
      (err, summary) => (err ? fail(err) : done(summary)),
    )
  })
}

async function main() {
  checkGenerated()
  run('npx', ['--no-install', 'tsc', '-p', 'clients/typescript/tsconfig.json'])
  console.log('ok  the typed client and its example compile under strict')

  const admin = { email: 'admin@shop.local', password: randomBytes(12).toString('base64url') }
  const database = await freshDatabase()
  const service = await startService({
    ...database.env,
    NODE_ENV: 'development',
    SEED_DEMO_DATA: 'true',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    THROTTLE_ENABLED: 'false',
  })
  try {
    console.log(`== the typed client's example against ${service.baseUrl}`)
    const flow = spawnSync(process.execPath, ['clients/typescript/dist/examples/flow.js'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, SHOP_URL: service.baseUrl, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
    })
    if (flow.status !== 0) throw new Error('the typed client example failed')

    console.log(`== the Postman collection with newman against ${service.baseUrl}`)
    const summary = await runNewman(service.baseUrl, admin)
    const { requests, assertions } = summary.run.stats
    console.log(`newman: ${requests.total} requests (${requests.failed} failed), ${assertions.total} assertions (${assertions.failed} failed)`)
    if (summary.run.failures.length > 0) throw new Error(`newman: ${summary.run.failures.length} failure(s)`)
  } finally {
    await service.stop()
    await database.drop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

main().then(
  () => console.log('clients:check passed'),
  (err) => {
    console.error(`clients:check failed: ${err?.message ?? err}`)
    process.exit(1)
  },
)
