// Debian's HAProxy in front of the instances, run as our own foreground process with a
// temporary configuration (never the system service).
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { untilTrue } from './wait.mjs'

export const HAPROXY = '/usr/sbin/haproxy'

/**
 * Readiness is polled every CHECK_INTERVAL_MS and two failures in a row take a server out (fall
 * 2; one slow answer on a busy machine must not), so an instance's SHUTDOWN_DELAY_MS must span
 * several intervals: the proxy has stopped sending before the listener closes. Retries: a connection that failed before the request was sent is retried
 * on another server for every request (nothing reached the app); a request that got no answer
 * (connection reset, instance killed) is retried only when repeating it is safe — GET/HEAD, or
 * POST /v1/orders carrying an Idempotency-Key.
 */
export const CHECK_INTERVAL_MS = 200

export function haproxyConfig({ port, servers, socket }) {
  return `global
  maxconn 1000
  nbthread 1
  stats socket ${socket} mode 600 level admin
  log stderr format raw local0 notice

defaults
  mode http
  log global
  option httplog
  option dontlog-normal
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout check 1s
  timeout http-keep-alive 10s
  option forwardfor
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response junk-response

frontend api
  bind 127.0.0.1:${port}
  default_backend shop

backend shop
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server check inter ${CHECK_INTERVAL_MS} fastinter ${CHECK_INTERVAL_MS} downinter ${CHECK_INTERVAL_MS * 2} fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
  acl safe_method method GET HEAD OPTIONS
  acl order_placement method POST
  acl order_placement_path path /v1/orders
  acl has_idempotency_key req.hdr(idempotency-key) -m found
  http-request disable-l7-retry if !safe_method !order_placement
  http-request disable-l7-retry if !safe_method !order_placement_path
  http-request disable-l7-retry if !safe_method !has_idempotency_key
  http-response set-header X-Served-By %s
${servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port}`).join('\n')}
`
}

export async function startHaproxy({ port, servers, dir }) {
  const socket = join(dir, 'haproxy.sock')
  const file = join(dir, 'haproxy.cfg')
  writeFileSync(file, haproxyConfig({ port, servers, socket }))
  const check = spawnSync(HAPROXY, ['-c', '-q', '-f', file], { encoding: 'utf8' })
  if (check.status !== 0) throw new Error(`haproxy rejected its configuration:\n${check.stdout}${check.stderr}`)
  const log = openSync(join(dir, 'haproxy.log'), 'a')
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', log, log] })
  closeSync(log)
  const stderr = () => readFileSync(join(dir, 'haproxy.log'), 'utf8').slice(-4000)
  const proxy = {
    url: `http://127.0.0.1:${port}`,
    /** { serverName: 'UP' | 'DOWN' | 'MAINT' | ... } from the runtime API. */
    serverStates: () => serverStates(socket),
    retryCounters: () => retryCounters(socket),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
  await untilTrue('haproxy sees every server UP', 30_000, async () => {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr()}`)
    const states = await serverStates(socket).catch(() => ({}))
    return servers.every((s) => states[s.name] === 'UP')
  })
  return proxy
}

function runtimeCommand(socket, command) {
  return new Promise((resolve, reject) => {
    const conn = createConnection(socket)
    let out = ''
    conn.setTimeout(2000, () => conn.destroy(new Error('haproxy runtime API timed out')))
    conn.on('data', (chunk) => (out += chunk))
    conn.on('error', reject)
    conn.on('close', () => resolve(out))
    conn.on('connect', () => conn.write(`${command}\n`))
  })
}

/** The backend's rows of `show stat`, by server name (BACKEND for the totals). */
async function backendStats(socket) {
  const csv = await runtimeCommand(socket, 'show stat')
  const [header, ...rows] = csv.trim().split('\n')
  const columns = header.replace(/^# /, '').split(',')
  const stats = {}
  for (const row of rows) {
    const cells = row.split(',')
    const record = Object.fromEntries(columns.map((c, i) => [c, cells[i]]))
    if (record.pxname === 'shop') stats[record.svname] = record
  }
  return stats
}

async function serverStates(socket) {
  const stats = await backendStats(socket)
  return Object.fromEntries(
    Object.entries(stats)
      .filter(([name]) => name !== 'BACKEND')
      .map(([name, s]) => [name, s.status.split(' ')[0]]),
  )
}

/** What the proxy absorbed: connection retries, redispatches to another server, failed connections and answers. */
async function retryCounters(socket) {
  const { BACKEND: b } = await backendStats(socket)
  return { retries: Number(b.wretr), redispatches: Number(b.wredis), connectionErrors: Number(b.econ), responseErrors: Number(b.eresp) }
}
