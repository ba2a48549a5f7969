// The raw baseline of `npm run bench`: node:http + a pg Pool, no framework, no ORM, answering
// the four benchmark scenarios with the same SQL and the same JSON the service produces.
// Minimal but honest: it verifies the bearer JWT, validates its input, prices orders from the
// database and places them in one transaction, as the contract requires. What the contract asks
// of every request (X-Request-Id, the JSON log line with that id, request metrics) it does the
// leanest way (bench/lib/request-essentials.mjs); it has no security headers and none of the
// framework: that is the overhead the benchmark measures.
//
//   PORT=3100 DATABASE_URL=postgresql://… JWT_SECRET=… node bench/baseline-server.mjs
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import pg from 'pg'
import { answerMetrics, beginRequest, requestHeaders } from './lib/request-essentials.mjs'
import { BadRequest, cursorCodec, listOrders, listProducts as listProductsFiltered } from './lib/baseline-lists.mjs'

const PORT = Number(process.env.PORT ?? 3100)
const HOST = process.env.HOST ?? '127.0.0.1'
const JWT_SECRET = process.env.JWT_SECRET ?? ''
const BODY_LIMIT = 1024 * 1024
const MAX_PAGE_SIZE = 100
const ROLES = new Set(['customer', 'staff', 'admin'])
// The service's ordering whitelist (src/products/dto/list-products-query.dto.ts) and default; stock
// is sorted by its key in "ProductStockKey" (migration 20261202000000_product_stock_key), which the
// page then joins, as the service's (src/products/products.repository.ts).
const ORDERING_COLUMNS = { id: 'id', sku: 'sku', name: 'name', price: 'price', stock: 'stockKey', createdAt: 'createdAt' }
const DEFAULT_ORDERING = 'id'
if (!process.env.DATABASE_URL || JWT_SECRET.length < 32) {
  process.stderr.write('baseline: DATABASE_URL and JWT_SECRET (>= 32 characters) are required\n')
  process.exit(1)
}

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX ?? 10), // the service's DB_POOL_MAX default
  application_name: 'shop-bench-baseline',
  options: '-c jit=off -c max_parallel_workers_per_gather=0', // as the service's pool (src/database/database-pool.ts)
  pipeline: true, // as the service's pool: a transaction's BEGIN travels with its first statement
})
// Lookups by key share one pooled connection, pipelined, as the service's do (src/database/shared-connection.ts).
let shared
const byKey = (query) => (shared ??= pool.connect()).then((client) => client.query(query))

const NOW_UTC = `(now() AT TIME ZONE 'UTC')` // timestamp(3) columns hold UTC, as Prisma writes them
const MAX_ORDER_TOTAL = '999999999999.99' // Order.total is numeric(14,2)
// timestamp(3) text ("2026-11-25 10:00:00.12", UTC) straight to the API's ISO form, as the service does.
pg.types.setTypeParser(1114, (text) => {
  const dot = text.indexOf('.', 19)
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${dot === -1 ? '000' : text.slice(dot + 1, dot + 4).padEnd(3, '0')}Z`
})
// Word for word the statements the service sends (as Kysely compiles them in
// src/products/products.repository.ts and src/orders/orders.repository.ts: columns, visibility
// condition, ORDER BY, parameter numbers), and prepared (named) exactly where the service prepares
// them: both servers must ask PostgreSQL for the same work (the run checks the SQL, see lib/statements.mjs).
const LIST_COLUMNS = '"id", "sku", "name", "description", "price", "stock", "categoryId", "active", "createdAt", "updatedAt"' // the JSON shape itself
const PUBLIC = '("Product"."active" and "Product"."archivedAt" is null)'
const COVERED_ORDERINGS = new Set(['id', 'price', 'name', 'createdAt']) // their indexes INCLUDE active and "archivedAt"
const STOCK_KEY_JOIN = '"Product" inner join "ProductStockKey" on "ProductStockKey"."productId" = "Product"."id"'
// The service's product by id is rendered in PostgreSQL (shownFields in products.repository.ts):
// a lateral row of the API's fields, to_json of it.
const ISO = (column) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const SHOWN = (from) =>
  `inner join lateral (select ${['id', 'sku', 'name', 'description'].map((c) => `"${from}"."${c}" as "${c}"`).join(', ')}, "${from}"."price"::text as "price", ` +
  `${['stock', 'categoryId', 'active'].map((c) => `"${from}"."${c}" as "${c}"`).join(', ')}, ${ISO(`"${from}"."createdAt"`)} as "createdAt", ${ISO(`"${from}"."updatedAt"`)} as "updatedAt") as "shown" on true`
const SQL = {
  productById: {
    name: 'product-json-public',
    text: `select "Product"."version", to_json(shown)::text as "product" from "Product" ${SHOWN('Product')} where "Product"."id" = $1 and ${PUBLIC}`,
  },
  productCount: `select coalesce(sum("visible"), 0)::int as "count" from "CategoryProductCount"`, // the counts the triggers keep (migration 20261201150000_product_counts)
  productPage: (orderBy) =>
    `select ${LIST_COLUMNS} from ${orderBy.includes('"stockKey"') ? STOCK_KEY_JOIN : '"Product"'} where ${PUBLIC} order by ${orderBy} limit $1 offset $2`,
  // A plain page in an ordering whose index holds the visibility columns: ids from the index alone,
  // then the rows by id (pageByIds in src/products/products.repository.ts).
  productPageByIds: (orderBy) =>
    `select ${LIST_COLUMNS} from "Product" where "Product"."id" = ANY(ARRAY((select "Product"."id" from "Product" where ${PUBLIC} order by ${orderBy} limit $1 offset $2))) order by ${orderBy}`,
  // S3 as src/orders/orders.repository.ts places an order: in a transaction, one prepared statement
  // that locks the products in id order, checks every line and the total, and only then decrements
  // stock and inserts the order, its lines and its first history entry.
  // Parameters: $1 product ids, $2 quantities, $3 the largest total, $4 user id, $5 note.
  placeOrder: {
    name: 'orders-place',
    text: `WITH l AS (
         SELECT * FROM unnest($1::int[], $2::int[]) AS l(id, quantity)
       ), p AS (
         SELECT id, sku, name, price, stock, (active AND "archivedAt" IS NULL) AS orderable
         FROM "Product" WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE
       ), priced AS (
         SELECT count(*) FILTER (WHERE p.orderable AND p.stock >= l.quantity) = cardinality($1::int[])
                  AND sum(p.price * l.quantity) <= $3::numeric AS placeable,
                sum(p.price * l.quantity) AS total
         FROM p JOIN l USING (id)
       ), decremented AS (
         UPDATE "Product" AS x
         SET stock = x.stock - l.quantity, version = x.version + 1, "updatedAt" = ${NOW_UTC}
         FROM l, priced
         WHERE priced.placeable AND x.id = ANY($1::int[]) AND x.id = l.id AND x.stock >= l.quantity
         RETURNING x.id
       ), o AS (
         INSERT INTO "Order" ("userId", status, total, note, "createdAt", "updatedAt")
         SELECT $4::int, 'pending', priced.total, $5::text, ${NOW_UTC}, ${NOW_UTC} FROM priced
         WHERE (SELECT count(*) FROM decremented) = cardinality($1::int[])
         RETURNING id, "userId", status, total, note, "createdAt", "updatedAt"
       ), lines AS (
         INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
         SELECT o.id, p.id, p.sku, p.name, p.price, l.quantity, p.price * l.quantity FROM o, p JOIN l USING (id)
         RETURNING "productId", sku, name, "unitPrice", quantity, "lineTotal"
       ), history AS (
         INSERT INTO "OrderStatusChange" ("orderId", "fromStatus", "toStatus", "changedById", "createdAt")
         SELECT o.id, NULL, 'pending', $4::int, o."createdAt" FROM o
       ), shown AS (
         SELECT to_json(shown)::text AS "order" FROM (
           SELECT o.id, o."userId", o.status,
                  array_to_json(ARRAY(
                    SELECT to_json(item) FROM (
                      SELECT "productId", sku, name, "unitPrice"::text AS "unitPrice", quantity, "lineTotal"::text AS "lineTotal"
                      FROM lines ORDER BY "productId"
                    ) item
                  )) AS items,
                  o.total::text AS total, o.note, to_char("o"."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
                  to_char("o"."updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
           FROM o
         ) shown
       )
       SELECT p.id, p.sku, p.name, p.price, p.stock, p.orderable, o.id AS "orderId", shown."order"
       FROM p LEFT JOIN o ON true LEFT JOIN shown ON true ORDER BY p.id`,
  },
}

class HttpError extends Error {
  constructor(status, slug, detail) {
    super(detail)
    this.status = status
    this.slug = slug
  }
}

function send(res, status, body, headers = {}) {
  sendText(res, status, JSON.stringify(body), headers)
}

function sendText(res, status, json, headers = {}) {
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

function positiveInt(raw, field) {
  if (raw === undefined || raw === null) return undefined
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new HttpError(400, 'validation-error', `${field} must be a positive whole number`)
  return Number(raw)
}

async function getProduct(req, res, rawId) {
  const id = positiveInt(rawId, 'id')
  const { rows } = await byKey({ ...SQL.productById, values: [id] })
  if (rows.length === 0) throw new HttpError(404, 'not-found', 'Product not found')
  sendText(res, 200, rows[0].product, { etag: `"${id}-${rows[0].version}"` })
}

function orderByClause(raw) {
  const parts = []
  const seen = new Set()
  for (const part of (raw?.trim() ? raw : DEFAULT_ORDERING)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const descending = part.startsWith('-')
    const field = descending ? part.slice(1) : part
    const column = Object.hasOwn(ORDERING_COLUMNS, field) ? ORDERING_COLUMNS[field] : undefined
    if (!column) throw new HttpError(400, 'validation-error', `Unknown ordering field: ${field}`)
    if (seen.has(column)) continue
    seen.add(column)
    parts.push(`"${column}" ${descending ? 'desc' : 'asc'}`)
  }
  if (!seen.has('id')) parts.push(`"id" ${parts.at(-1)?.endsWith('desc') ? 'desc' : 'asc'}`)
  const plain = parts.length <= 2
  return { sql: parts.join(', '), plain, byIds: plain && [...seen].every((column) => COVERED_ORDERINGS.has(column)) }
}

async function listProducts(req, res, url) {
  const page = positiveInt(url.searchParams.get('page') ?? undefined, 'page') ?? 1
  const pageSize = positiveInt(url.searchParams.get('pageSize') ?? undefined, 'pageSize') ?? 20
  if (pageSize > MAX_PAGE_SIZE) throw new HttpError(400, 'validation-error', `pageSize must not be greater than ${MAX_PAGE_SIZE}`)
  const orderBy = orderByClause(url.searchParams.get('ordering'))
  // Named where the service names them: unfiltered lists ordered by one field (+ the id tiebreak).
  const [countResult, pageResult] = await Promise.all([
    pool.query({ name: orderBy.plain ? 'products-count' : undefined, text: SQL.productCount }),
    pool.query({
      name: orderBy.plain ? `products-page ${orderBy.sql}` : undefined,
      text: orderBy.byIds ? SQL.productPageByIds(orderBy.sql) : SQL.productPage(orderBy.sql),
      values: [pageSize, (page - 1) * pageSize],
    }),
  ])
  const count = countResult.rows[0].count
  const lastPage = Math.max(1, Math.ceil(count / pageSize))
  if (page > lastPage) throw new HttpError(404, 'not-found', `Invalid page: the last page is ${lastPage}`)
  const link = (target) => {
    const next = new URL(url)
    next.searchParams.set('page', String(target))
    next.searchParams.set('pageSize', String(pageSize))
    return next.toString()
  }
  send(res, 200, {
    count,
    next: page < lastPage ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: pageResult.rows,
  })
}

/** HS256 access token, as the service issues it: signature, expiry, issuer, audience, subject, role. */
function verifyAccessToken(header) {
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header ?? '')
  if (!match) throw new HttpError(401, header ? 'invalid-token' : 'unauthorized', 'Send a valid access token')
  const [, head, body, signature] = match
  const expected = createHmac('sha256', JWT_SECRET).update(`${head}.${body}`).digest()
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(401, 'invalid-token', 'Bad signature')
  let claims
  try {
    if (JSON.parse(Buffer.from(head, 'base64url').toString()).alg !== 'HS256') throw new Error('alg')
    claims = JSON.parse(Buffer.from(body, 'base64url').toString())
  } catch {
    throw new HttpError(401, 'invalid-token', 'Malformed token')
  }
  const now = Math.floor(Date.now() / 1000)
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  const id = Number(claims.sub)
  if (
    typeof claims.exp !== 'number' ||
    claims.exp <= now ||
    (typeof claims.nbf === 'number' && claims.nbf > now) ||
    claims.iss !== 'shop-api' ||
    !audience.includes('shop-api') ||
    !Number.isSafeInteger(id) ||
    !ROLES.has(claims.role)
  ) {
    throw new HttpError(401, 'invalid-token', 'The access token is invalid or has expired')
  }
  return { id, role: claims.role }
}

function readJson(req) {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(new HttpError(415, 'unsupported-media-type', 'Send application/json'))
  }
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > BODY_LIMIT) reject(new HttpError(413, 'payload-too-large', 'Body over 1 MiB'))
      else chunks.push(chunk)
    })
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        reject(new HttpError(400, 'malformed-json', 'Malformed JSON'))
      }
    })
    req.on('error', reject)
  })
}

function validateOrder(body) {
  const bad = (detail) => new HttpError(400, 'validation-error', detail)
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('Body must be an object')
  for (const key of Object.keys(body)) if (key !== 'items' && key !== 'note') throw bad(`property ${key} should not exist`)
  const { items, note } = body
  if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > 1000)) throw bad('note must be a string')
  if (!Array.isArray(items) || items.length < 1 || items.length > 50) throw bad('items must have 1 to 50 lines')
  const seen = new Set()
  for (const item of items) {
    if (!item || typeof item !== 'object' || Object.keys(item).some((k) => k !== 'productId' && k !== 'quantity')) throw bad('bad line')
    if (!Number.isSafeInteger(item.productId) || item.productId < 1) throw bad('productId must be a positive whole number')
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > 1000) throw bad('quantity must be 1 to 1000')
    if (seen.has(item.productId)) throw bad('each product may appear once')
    seen.add(item.productId)
  }
  return { items, note: note ?? null }
}

async function createOrder(req, res) {
  const user = verifyAccessToken(req.headers.authorization)
  const { items, note } = validateOrder(await readJson(req))
  const lines = [...items].sort((a, b) => a.productId - b.productId) // the lock order
  const ids = lines.map((l) => l.productId)
  // One transaction, as the service's: BEGIN pipelined with the statement (one round trip), then
  // COMMIT, with the connection released as COMMIT is written (the next user's queries queue behind it).
  const client = await pool.connect()
  let products
  try {
    const begun = client.query('BEGIN')
    begun.catch(() => undefined)
    ;({ rows: products } = await client.query({ ...SQL.placeOrder, values: [ids, lines.map((l) => l.quantity), MAX_ORDER_TOTAL, user.id, note] }))
    await begun
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    client.release()
    throw err
  }
  const committed = client.query('COMMIT')
  client.release()
  await committed
  const byId = new Map(products.map((p) => [p.id, p]))
  const missing = lines.find((l) => !byId.get(l.productId)?.orderable)
  if (missing) throw new HttpError(400, 'validation-error', `product ${missing.productId} does not exist or cannot be ordered`)
  const short = lines.find((l) => byId.get(l.productId).stock < l.quantity)
  if (short) throw new HttpError(409, 'insufficient-stock', `Not enough stock for product ${short.productId}`)
  const placed = products[0]
  if (placed.orderId === null) throw new HttpError(400, 'validation-error', 'The order total is too large')
  sendText(res, 201, placed.order, { location: `/v1/orders/${placed.orderId}` }) // rendered by the statement, as the service sends it
}

const PLAIN_LIST_PARAMS = new Set(['page', 'pageSize', 'ordering'])
const cursors = cursorCodec(JWT_SECRET)

async function sendList(res, list) {
  try {
    send(res, 200, await list())
  } catch (err) {
    throw err instanceof BadRequest ? new HttpError(400, 'validation-error', err.message) : err
  }
}

/** The route template of a request (for its log line and metrics), or undefined. */
function routeOf(method, path) {
  if (method === 'GET' && (path === '/health/live' || path === '/metrics' || path === '/v1/products' || path === '/v1/orders')) return path
  if (method === 'GET' && path.startsWith('/v1/products/')) return '/v1/products/:id'
  if (method === 'POST' && path === '/v1/orders') return path
}

async function route(req, res) {
  const url = new URL(req.url, `http://${req.headers.host ?? `${HOST}:${PORT}`}`)
  const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname
  req.route = routeOf(req.method, path) ?? req.route
  if (req.route === '/health/live') return send(res, 200, { status: 'ok' })
  if (req.route === '/metrics') return answerMetrics(req, res)
  if (req.route === '/v1/products') {
    // Filters, search and cursors (bench/scale.mjs) have their own module; plain pages stay as above.
    if ([...url.searchParams.keys()].some((k) => !PLAIN_LIST_PARAMS.has(k))) return sendList(res, () => listProductsFiltered(pool, cursors, url, byKey))
    return listProducts(req, res, url)
  }
  if (req.route === '/v1/orders' && req.method === 'GET') {
    const user = verifyAccessToken(req.headers.authorization)
    return sendList(res, () => listOrders(pool, user, url))
  }
  if (req.route === '/v1/products/:id') return getProduct(req, res, path.slice('/v1/products/'.length))
  if (req.route === '/v1/orders') return createOrder(req, res)
  throw new HttpError(404, 'not-found', 'No such route')
}

const server = createServer((req, res) => {
  beginRequest(req, res)
  route(req, res).catch((err) => {
    if (!(err instanceof HttpError)) {
      process.stderr.write(`baseline: ${err.stack ?? err}\n`)
      err = new HttpError(500, 'internal-error', 'Unexpected error')
    }
    if (!res.headersSent) sendProblem(res, req, err)
  })
})
server.keepAliveTimeout = 72_000 // Fastify's default, so both servers treat idle connections alike

server.listen(PORT, HOST, () => process.stdout.write(`baseline listening on http://${HOST}:${PORT}\n`))
const shutdown = () => {
  setTimeout(() => process.exit(0), 5000).unref()
  server.close(() =>
    Promise.resolve(shared?.then((client) => client.release()))
      .then(() => pool.end())
      .finally(() => process.exit(0)),
  )
  server.closeIdleConnections()
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
