// What the contract asks of every request (/work/shared/api-contract.md, Operations), done the
// leanest way for the raw baselines of the benchmark (bench/independent-baseline.mjs,
// bench/baseline-server.mjs):
//
// - every response carries X-Request-Id: the caller's when it is well-formed (the service's rule),
//   else a new UUID; the same id is in any error body and in the request's JSON log line;
// - one JSON log line per request at info, to stdout (the benchmark sends it to a file), buffered
//   as the service's pino destination is (written once 4 KB have gathered, and every 100 ms);
//   liveness probes and scrapes are not logged, as in the service;
// - request counts and latency histograms by method, route template and status, served as
//   Prometheus text on GET /metrics (with `Authorization: Bearer <METRICS_TOKEN>` when it is set).
import { randomUUID, timingSafeEqual } from 'node:crypto'
import { writeSync } from 'node:fs'

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/
const NOT_LOGGED = new Set(['/health/live', '/metrics'])
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const LOG_CHUNK = 4096
const METRICS_TOKEN = process.env.METRICS_TOKEN ? Buffer.from(`Bearer ${process.env.METRICS_TOKEN}`) : undefined

/** Starts a request: its id (`req.id`), its start time, its route template until route() names it. */
export function beginRequest(req, res) {
  const header = req.headers['x-request-id']
  req.id = typeof header === 'string' && WELL_FORMED.test(header) ? header : randomUUID()
  req.started = performance.now()
  req.route = 'unmatched'
  res.once('close', requestClosed)
}

/** The headers every answer carries (the send functions spread them into writeHead's). */
export const requestHeaders = (res) => ({ 'x-request-id': res.req.id })

// One shared listener (`this` is the response): nothing is allocated per request for it.
function requestClosed() {
  const req = this.req
  const finished = this.writableFinished
  const durationMs = performance.now() - req.started
  if (finished) observe(req.method, req.route, this.statusCode, durationMs / 1000)
  if (NOT_LOGGED.has(req.route)) return
  const status = finished ? this.statusCode : null
  const level = status === null || status < 400 ? 30 : status < 500 ? 40 : 50
  const msg = !finished ? 'request aborted' : status >= 500 ? 'request errored' : 'request completed'
  log(
    JSON.stringify({
      level,
      time: Date.now(),
      requestId: req.id,
      method: req.method,
      url: req.url,
      route: req.route,
      status,
      durationMs: Math.round(durationMs * 10) / 10,
      clientIp: req.socket.remoteAddress,
      msg,
    }),
  )
}

let pendingLog = ''
function log(line) {
  pendingLog += line + '\n'
  if (pendingLog.length >= LOG_CHUNK) flushLog()
}
function flushLog() {
  if (pendingLog === '') return
  writeSync(1, pendingLog)
  pendingLog = ''
}
setInterval(flushLog, 100).unref()
process.on('exit', flushLog)

const series = new Map()
function observe(method, route, status, seconds) {
  const key = `${method} ${route} ${status}`
  let s = series.get(key)
  if (!s)
    series.set(
      key,
      (s = { labels: `method="${method}",route="${route}",status_code="${status}"`, count: 0, sum: 0, buckets: new Array(BUCKETS.length).fill(0) }),
    )
  s.count++
  s.sum += seconds
  const i = BUCKETS.findIndex((le) => seconds <= le)
  if (i >= 0) s.buckets[i]++
}

/** GET /metrics: true when it was answered (the Prometheus text, or 401 without the token). */
export function answerMetrics(req, res) {
  req.route = '/metrics'
  const given = Buffer.from(req.headers.authorization ?? '')
  if (METRICS_TOKEN && (given.length !== METRICS_TOKEN.length || !timingSafeEqual(given, METRICS_TOKEN))) {
    res.writeHead(401, { 'content-length': 0, ...requestHeaders(res) })
    return res.end()
  }
  let text = '# TYPE http_requests_total counter\n# TYPE http_request_duration_seconds histogram\n'
  for (const s of series.values()) {
    text += `http_requests_total{${s.labels}} ${s.count}\n`
    let cumulative = 0
    BUCKETS.forEach((le, i) => (text += `http_request_duration_seconds_bucket{${s.labels},le="${le}"} ${(cumulative += s.buckets[i])}\n`))
    text += `http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}\n`
    text += `http_request_duration_seconds_sum{${s.labels}} ${s.sum}\nhttp_request_duration_seconds_count{${s.labels}} ${s.count}\n`
  }
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': Buffer.byteLength(text), ...requestHeaders(res) })
  res.end(text)
}
