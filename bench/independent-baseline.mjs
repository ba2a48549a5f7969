// The independent baseline of `npm run bench`: the leanest correct node:http + pg implementation
// of the benchmark's contract subset (GET /health/live, GET /v1/products/{id}, the public product
// list, POST /v1/orders), written from /work/shared/api-contract.md rather than from the service:
// it chooses its own SQL. Where bench/baseline-server.mjs repeats the service's statements word for
// word (so the ratio against it is framework cost only), the ratio against this one also shows SQL
// that does more than the contract needs. It keeps every guarantee the contract asks for, checked
// by bench/lib/behaviour.mjs before each run: totals from database prices, all-or-nothing, no
// oversell under concurrency, inactive or archived products refused. What the contract asks of every
// request is done too, the leanest way (bench/lib/request-essentials.mjs): X-Request-Id, the JSON log
// line with that id, request metrics. Not required by the contract, so not done: order status
// history, idempotency keys, security headers.
//
//   PORT=3200 DATABASE_URL=postgresql://… JWT_SECRET=… node bench/independent-baseline.mjs
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import pg from 'pg'
import { answerMetrics, beginRequest, requestHeaders } from './lib/request-essentials.mjs'

const PORT = Number(process.env.PORT ?? 3200)
const HOST = process.env.HOST ?? '127.0.0.1'
const JWT_SECRET = process.env.JWT_SECRET ?? ''
const BODY_LIMIT = 1024 * 1024
if (!process.env.DATABASE_URL || JWT_SECRET.length < 32) {
  process.stderr.write('independent baseline: DATABASE_URL and JWT_SECRET (>= 32 characters) are required\n')
  process.exit(1)
}

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10), application_name: 'shop-bench-independent' })
// The schema's timestamp(3) columns hold UTC; PostgreSQL formats them as JSON (ISO 8601) itself below.
const NOW = `(now() AT TIME ZONE 'UTC')`
const ISO = (column) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const VISIBLE = 'active AND "archivedAt" IS NULL'
const ORDERING = { id: 'id', sku: 'sku', name: 'name', price: 'price', stock: 'stock', createdAt: '"createdAt"' }

// PostgreSQL renders each response body (json_build_object / json_agg): no row objects in Node.
const PRODUCT_JSON = `json_build_object('id', id, 'sku', sku, 'name', name, 'description', description, 'price', price::text,
  'stock', stock, 'categoryId', "categoryId", 'active', active, 'createdAt', ${ISO('"createdAt"')}, 'updatedAt', ${ISO('"updatedAt"')})`
const productById = { name: 'ib-product', text: `SELECT ${PRODUCT_JSON}::text AS body, version FROM "Product" WHERE id = $1 AND ${VISIBLE}` }
const productCount = { name: 'ib-count', text: `SELECT count(*)::int AS count FROM "Product" WHERE ${VISIBLE}` }
const pageQueries = new Map()
const productPage = (orderBy) => {
  let query = pageQueries.get(orderBy)
  if (!query) {
    query = {
      name: `ib-page-${pageQueries.size}`,
      text: `SELECT coalesce(json_agg(${PRODUCT_JSON}), '[]')::text AS results FROM (SELECT * FROM "Product" WHERE ${VISIBLE} ORDER BY ${orderBy} LIMIT $1 OFFSET $2) p`,
    }
    if (pageQueries.size < 64) pageQueries.set(orderBy, query)
  }
  return query
}

/**
 * Places an order in one statement (its own transaction): lock the products in id order (every
 * writer locks them in that order, so concurrent orders cannot deadlock), check every line against
 * the locked (newest) rows, and only if all pass decrement stock and insert the order and its lines,
 * priced from the locked rows. Nothing is written when a line fails: the statement returns the
 * locked rows and the caller answers 409 naming the product. The decrement names the ids besides
 * joining `l`: the generic plan PostgreSQL uses for a named statement after five runs guesses ten
 * lines, and at 2,000 products it chose a sequential scan of Product for the join (README,
 * "Performance").
 */
const placeOrder = {
  name: 'ib-place',
  text: `WITH l AS (SELECT * FROM unnest($2::int[], $3::int[]) AS l(id, quantity)),
  p AS (SELECT id, sku, name, price, stock, ${VISIBLE} AS orderable FROM "Product" WHERE id = ANY($2::int[]) ORDER BY id FOR UPDATE),
  ok AS (SELECT count(*) = cardinality($2::int[]) AS ok, sum(p.price * l.quantity) AS total FROM p JOIN l USING (id) WHERE p.orderable AND p.stock >= l.quantity),
  d AS (UPDATE "Product" x SET stock = x.stock - l.quantity, version = x.version + 1, "updatedAt" = ${NOW}
        FROM l, ok WHERE ok.ok AND x.id = ANY($2::int[]) AND x.id = l.id AND x.stock >= l.quantity RETURNING x.id),
  o AS (INSERT INTO "Order" ("userId", status, total, note, "createdAt", "updatedAt")
        SELECT $1, 'pending', ok.total, $4, ${NOW}, ${NOW} FROM ok WHERE ok.ok RETURNING id, total, "createdAt", "updatedAt"),
  i AS (INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
        SELECT o.id, p.id, p.sku, p.name, p.price, l.quantity, p.price * l.quantity FROM o, p JOIN l USING (id)
        RETURNING "productId", sku, name, "unitPrice", quantity, "lineTotal")
  SELECT (SELECT json_build_object('id', o.id, 'userId', $1::int, 'status', 'pending',
            'items', (SELECT json_agg(json_build_object('productId', "productId", 'sku', sku, 'name', name, 'unitPrice', "unitPrice"::text,
              'quantity', quantity, 'lineTotal', "lineTotal"::text) ORDER BY "productId") FROM i),
            'total', o.total::text, 'note', $4::text, 'createdAt', ${ISO('o."createdAt"')}, 'updatedAt', ${ISO('o."updatedAt"')})::text FROM o) AS body,
         (SELECT json_agg(json_build_object('id', id, 'stock', stock, 'orderable', orderable)) FROM p) AS locked,
         (SELECT count(*) FROM d)::int AS decremented`,
}

class HttpError extends Error {
  constructor(status, slug, detail) {
    super(detail)
    this.status = status
    this.slug = slug
  }
}

function sendText(res, status, json, headers) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...requestHeaders(res), ...headers })
  res.end(json)
}

function sendProblem(res, req, err) {
  const json = JSON.stringify({
    type: `https://shop-api.dev/problems/${err.slug}`,
    title: err.slug,
    status: err.status,
    detail: err.message,
    instance: req.url.split('?')[0],
    requestId: req.id,
  })
  res.writeHead(err.status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(json), ...requestHeaders(res) })
  res.end(json)
}

const invalid = (detail) => new HttpError(400, 'validation-error', detail)

function positiveInt(raw, field) {
  if (raw === null || raw === undefined) return undefined
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw invalid(`${field} must be a positive whole number`)
  return Number(raw)
}

async function getProduct(res, rawId) {
  const { rows } = await pool.query({ ...productById, values: [positiveInt(rawId, 'id')] })
  if (rows.length === 0) throw new HttpError(404, 'not-found', 'Product not found')
  sendText(res, 200, rows[0].body, { etag: `"${rawId}-${rows[0].version}"` })
}

function orderBy(raw) {
  const parts = []
  const seen = new Set()
  for (const part of (raw || 'id').split(',')) {
    const descending = part.startsWith('-')
    const field = descending ? part.slice(1) : part
    if (!Object.hasOwn(ORDERING, field)) throw invalid(`Unknown ordering field: ${field}`)
    if (seen.has(field)) continue
    seen.add(field)
    parts.push(`${ORDERING[field]} ${descending ? 'DESC' : 'ASC'}`)
  }
  if (!seen.has('id')) parts.push(`id ${parts.at(-1).endsWith('DESC') ? 'DESC' : 'ASC'}`)
  return parts.join(', ')
}

async function listProducts(req, res, url) {
  const page = positiveInt(url.searchParams.get('page'), 'page') ?? 1
  const pageSize = positiveInt(url.searchParams.get('pageSize'), 'pageSize') ?? 20
  if (pageSize > 100) throw invalid('pageSize must not be greater than 100')
  const [counted, listed] = await Promise.all([
    pool.query(productCount),
    pool.query({ ...productPage(orderBy(url.searchParams.get('ordering'))), values: [pageSize, (page - 1) * pageSize] }),
  ])
  const count = counted.rows[0].count
  const lastPage = Math.max(1, Math.ceil(count / pageSize))
  if (page > lastPage) throw new HttpError(404, 'not-found', `Invalid page: the last page is ${lastPage}`)
  const link = (target) => {
    url.searchParams.set('page', String(target))
    url.searchParams.set('pageSize', String(pageSize))
    return JSON.stringify(url.toString())
  }
  const next = page < lastPage ? link(page + 1) : 'null'
  const previous = page > 1 ? link(page - 1) : 'null'
  sendText(res, 200, `{"count":${count},"next":${next},"previous":${previous},"results":${listed.rows[0].results}}`)
}

/** HS256 access token as the service issues it: signature, expiry, issuer, audience, subject. */
function authenticate(header) {
  const match = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header ?? '')
  if (!match) throw new HttpError(401, 'unauthorized', 'Send a valid access token')
  const expected = createHmac('sha256', JWT_SECRET).update(`${match[1]}.${match[2]}`).digest()
  const given = Buffer.from(match[3], 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(401, 'invalid-token', 'Bad signature')
  let header_, claims
  try {
    header_ = JSON.parse(Buffer.from(match[1], 'base64url').toString())
    claims = JSON.parse(Buffer.from(match[2], 'base64url').toString())
  } catch {
    throw new HttpError(401, 'invalid-token', 'Malformed token')
  }
  const audience = [claims.aud].flat()
  const userId = Number(claims.sub)
  if (
    header_.alg !== 'HS256' ||
    !(claims.exp > Date.now() / 1000) ||
    claims.iss !== 'shop-api' ||
    !audience.includes('shop-api') ||
    !Number.isSafeInteger(userId)
  ) {
    throw new HttpError(401, 'invalid-token', 'The access token is invalid or has expired')
  }
  return userId
}

function readBody(req) {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    return Promise.reject(new HttpError(415, 'unsupported-media-type', 'Send application/json'))
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => {
      text += chunk
      if (text.length > BODY_LIMIT) reject(new HttpError(413, 'payload-too-large', 'Body over 1 MiB'))
    })
    req.on('end', () => {
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new HttpError(400, 'malformed-json', 'Malformed JSON'))
      }
    })
    req.on('error', reject)
  })
}

/** The create body of the contract: {items: [{productId, quantity}] (1–50, each product once), note?}; lines sorted by product. */
function orderInput(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Body must be an object')
  for (const key in body) if (key !== 'items' && key !== 'note') throw invalid(`${key} is not an allowed field`)
  const { items, note = null } = body
  // eslint-disable-next-line no-control-regex -- the contract refuses control characters in a note
  if (note !== null && (typeof note !== 'string' || note.length > 1000 || /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(note)))
    throw invalid('note must be text')
  if (!Array.isArray(items) || items.length < 1 || items.length > 50) throw invalid('items must have 1 to 50 lines')
  const lines = items.map((item) => {
    if (typeof item !== 'object' || item === null || Object.keys(item).some((k) => k !== 'productId' && k !== 'quantity')) throw invalid('bad line')
    const { productId, quantity } = item
    if (!Number.isSafeInteger(productId) || productId < 1 || productId > 2_147_483_647) throw invalid('productId must be a positive whole number')
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000) throw invalid('quantity must be 1 to 1000')
    return item
  })
  lines.sort((a, b) => a.productId - b.productId)
  for (let i = 1; i < lines.length; i++) if (lines[i].productId === lines[i - 1].productId) throw invalid('each product may appear once')
  return { lines, note }
}

async function createOrder(req, res) {
  const userId = authenticate(req.headers.authorization)
  const { lines, note } = orderInput(await readBody(req))
  const ids = lines.map((l) => l.productId)
  let row
  try {
    ;({
      rows: [row],
    } = await pool.query({ ...placeOrder, values: [userId, ids, lines.map((l) => l.quantity), note] }))
  } catch (err) {
    if (err.code === '22003') throw invalid('The order total is too large') // numeric field overflow
    throw err
  }
  if (row.body === null) {
    const locked = new Map((row.locked ?? []).map((p) => [p.id, p]))
    const failing = lines.find((l) => !locked.get(l.productId)?.orderable || locked.get(l.productId).stock < l.quantity)
    const product = locked.get(failing.productId)
    throw new HttpError(
      409,
      'insufficient-stock',
      product?.orderable ? `Not enough stock for product ${failing.productId}` : `Product ${failing.productId} cannot be ordered`,
    )
  }
  if (row.decremented !== lines.length) throw new Error(`decremented ${row.decremented} of ${lines.length} locked products`)
  const id = /^\{"id" : (\d+)/.exec(row.body)?.[1] ?? JSON.parse(row.body).id
  sendText(res, 201, row.body, { location: `/v1/orders/${id}` })
}

/** The route template of a request (for its log line and metrics), or undefined. */
function routeOf(method, path) {
  if (method === 'GET' && (path === '/health/live' || path === '/metrics' || path === '/v1/products')) return path
  if (method === 'GET' && path.startsWith('/v1/products/')) return '/v1/products/:id'
  if (method === 'POST' && path === '/v1/orders') return path
}

function route(req, res) {
  const url = new URL(req.url, 'http://localhost')
  const path = url.pathname
  req.route = routeOf(req.method, path) ?? req.route
  if (req.route === '/health/live') return sendText(res, 200, '{"status":"ok"}')
  if (req.route === '/metrics') return answerMetrics(req, res)
  if (req.route === '/v1/products') return listProducts(req, res, url)
  if (req.route === '/v1/products/:id') return getProduct(res, path.slice('/v1/products/'.length))
  if (req.route === '/v1/orders') return createOrder(req, res)
  throw new HttpError(404, 'not-found', 'No such route')
}

const server = createServer((req, res) => {
  beginRequest(req, res)
  const fail = (err) => {
    if (!(err instanceof HttpError)) {
      process.stderr.write(`independent baseline: ${err.stack ?? err}\n`)
      err = new HttpError(500, 'internal-error', 'Unexpected error')
    }
    if (!res.headersSent) sendProblem(res, req, err)
  }
  try {
    route(req, res)?.catch(fail)
  } catch (err) {
    fail(err)
  }
})
server.keepAliveTimeout = 72_000 // as the service (Fastify's default)
server.listen(PORT, HOST, () => process.stdout.write(`independent baseline listening on http://${HOST}:${PORT}\n`))
const shutdown = () => {
  setTimeout(() => process.exit(0), 5000).unref()
  server.close(() => pool.end().finally(() => process.exit(0)))
  server.closeIdleConnections()
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
