// The list routes of the raw baseline for bench/scale.mjs: the product list with every filter,
// search and cursor paging, and the order list (a customer's, or staff's by status), with the
// statements the service sends (src/products/products.repository.ts, kept counts included;
// src/orders/orders.repository.ts: count, page, then the page's lines). Cursors use the service's format and key (HKDF of
// JWT_SECRET), so both servers verify the same HMAC and a cursor works on either.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'

const VISIBLE = 'active AND "archivedAt" IS NULL'
const COVERED_ORDERINGS = new Set(['id', 'price', 'name', 'createdAt']) // their indexes INCLUDE active and "archivedAt" (migration 20261203000000)
const LIST_COLUMNS = 'id, sku, name, description, price, stock, "categoryId", active, "createdAt", "updatedAt"'
const PRODUCT_ORDERING = new Set(['id', 'sku', 'name', 'price', 'stock', 'createdAt'])
const ORDER_ORDERING = new Set(['id', 'createdAt', 'total'])
const escapeLike = (text) => text.replace(/[\\%_]/g, '\\$&')

export class BadRequest extends Error {}

/** The deepest row a numbered page may start at (src/common/pagination/page.ts). */
export const MAX_PAGE_OFFSET = 10_000

function parseOrdering(raw, allowed, fallback) {
  const order = []
  for (const part of (raw?.trim() ? raw : fallback)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const desc = part.startsWith('-')
    const column = desc ? part.slice(1) : part
    if (!allowed.has(column)) throw new BadRequest(`Unknown ordering field: ${column}`)
    if (!order.some(([c]) => c === column)) order.push([column, desc ? 'desc' : 'asc'])
  }
  if (!order.some(([c]) => c === 'id')) order.push(['id', order.at(-1)?.[1] ?? 'asc'])
  return order
}
// As the service's (src/products/products.repository.ts): stock is sorted and filtered by its key in
// "ProductStockKey" (migration 20261202000000_product_stock_key), the table the lists then join.
const column = (c) => (c === 'stock' ? 'stockKey' : c)
const orderSql = (order) => order.map(([c, d]) => `"${column(c)}" ${d === 'desc' ? 'DESC' : 'ASC'}`).join(', ')
const flip = (order) => order.map(([c, d]) => [c, d === 'asc' ? 'desc' : 'asc'])

function keysetSql(order, key, param) {
  const cols = order.map(([c]) => `"${column(c)}"`)
  const values = key.map(param)
  const op = (d, strict) => (d === 'asc' ? '>' : '<') + (strict ? '' : '=')
  if (order.every(([, d]) => d === order[0][1])) return `(${cols.join(', ')}) ${op(order[0][1], true)} (${values.join(', ')})`
  const alternatives = order.map(([, d], i) =>
    [...cols.slice(0, i).map((c, j) => `${c} = ${values[j]}`), `${cols[i]} ${op(d, true)} ${values[i]}`].join(' AND '),
  )
  return `${cols[0]} ${op(order[0][1], false)} ${values[0]} AND ((${alternatives.join(') OR (')}))`
}

export function cursorCodec(jwtSecret) {
  const key = Buffer.from(hkdfSync('sha256', jwtSecret, '', 'shop-api list cursor v1', 32))
  const mac = (list, encoded) => createHmac('sha256', key).update(`${list}\n${encoded}`).digest().subarray(0, 16)
  const ordering = (order) => order.map(([c, d]) => `${c} ${d}`).join(',')
  const fingerprint = (list, filter) => {
    const entries = Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
    return createHmac('sha256', list).update(JSON.stringify(entries)).digest('base64url').slice(0, 16)
  }
  return {
    encode(list, order, filter, key, backwards = false) {
      const encoded = Buffer.from(JSON.stringify({ o: ordering(order), f: fingerprint(list, filter), k: key, ...(backwards ? { b: 1 } : {}) })).toString(
        'base64url',
      )
      return `${encoded}.${mac(list, encoded).toString('base64url')}`
    },
    decode(list, order, filter, cursor) {
      if (cursor === '') return undefined
      const [encoded, given, ...rest] = cursor.split('.')
      const expected = mac(list, encoded)
      const g = Buffer.from(given ?? '', 'base64url')
      if (rest.length || g.length !== expected.length || !timingSafeEqual(g, expected)) throw new BadRequest('bad cursor')
      const body = JSON.parse(Buffer.from(encoded, 'base64url').toString())
      if (body.o !== ordering(order) || body.f !== fingerprint(list, filter)) throw new BadRequest('cursor for another ordering or filter')
      return { key: body.k, backwards: body.b === 1 }
    },
  }
}

function cursorPage(url, codec, list, order, filter, position, pageSize, rows) {
  const more = rows.length > pageSize
  const results = rows.slice(0, pageSize)
  if (position?.backwards) results.reverse()
  const keyOf = (row) => order.map(([c]) => row[c])
  const link = (key, backwards) => {
    const next = new URL(url)
    next.searchParams.set('cursor', codec.encode(list, order, filter, key, backwards))
    return next.toString()
  }
  const hasNext = position?.backwards ? true : more
  const hasPrevious = position?.backwards ? more : position !== undefined
  return {
    next: hasNext && results.length ? link(keyOf(results.at(-1)), false) : null,
    previous: hasPrevious && results.length ? link(keyOf(results[0]), true) : null,
    results,
  }
}

function pageOf(url, page, pageSize, count, results) {
  const lastPage = Math.max(1, Math.ceil(count / pageSize))
  const link = (target) => {
    const next = new URL(url)
    next.searchParams.set('page', String(target))
    next.searchParams.set('pageSize', String(pageSize))
    return next.toString()
  }
  return { count, next: page < lastPage ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results }
}

const int = (raw) => (raw === null ? undefined : Number(raw))

/** A short search's statements plan without sequential scans, in a transaction of their own, the three queries pipelined, as the service's (src/database/sql-runner.ts). */
async function withoutSeqScans(pool, query) {
  const client = await pool.connect()
  const outcomes = await Promise.allSettled([client.query('BEGIN READ ONLY; SET LOCAL enable_seqscan = off'), client.query(query), client.query('COMMIT')])
  const failure = outcomes.find((outcome) => outcome.status === 'rejected')
  client.release(failure?.reason)
  if (failure) throw failure.reason
  return outcomes[1].value
}

// The service's search paths (src/products/search-path.ts, products.repository.ts): what the kept
// gram counts say of the term first (one statement of lookups by key), then the page by the path.
const SEARCH_ESTIMATE = `
  WITH pieces AS (
    SELECT DISTINCT substr(t, i, 3) AS gram
    FROM (SELECT lower($1::text) AS t) AS term, generate_series(1, greatest(length(t) - 2, 1)) AS i
  ), grams AS (SELECT gram FROM pieces WHERE gram ~ '^[ -~]+$')
  SELECT (SELECT CASE WHEN count(*) = 0 THEN NULL WHEN count(c."gram") < count(*) THEN 0 ELSE min(c.visible) END
          FROM grams LEFT JOIN "SearchGramCount" AS c USING ("gram"))::int AS "matches",
         (SELECT coalesce(sum(visible), 0) FROM "CategoryProductCount")::int AS "rows",
         (SELECT "version" FROM "SearchCountVersion")::text AS "version"`

function searchPath({ matches, exact, rows }, need, physical) {
  if (matches === null) return { read: 'planner' }
  if (matches === 0) return { read: 'none' }
  const then = exact && matches <= 5_000 ? 'bitmap' : 'planner'
  const cost = physical ? 1 : 8
  const expected = (need * Math.max(rows, matches)) / matches
  if (expected * cost > (then === 'bitmap' ? 2 : 4) * matches || expected * cost > 30_000) return { read: then }
  return { read: 'walk', rows: Math.ceil(Math.min(30_000 / cost, Math.max(2_000 / cost, Math.ceil(3 * expected), exact ? 0 : 12_000 / cost))), then }
}

/** The rows `skip` to `skip + take` of a search by its path, or undefined when the planner's statement reads them. */
async function searchedRows(pool, path, { from, filtersOnly, filterValues, key, reading, search, short, versioned }, take, skip = 0, walkedFirst = 0) {
  if (path.read === 'none') return []
  if (path.read === 'planner') return undefined
  const values = [...filterValues]
  const keyset = key ? ` AND ${keysetSql(reading, key, (v) => `$${values.push(v)}`)}` : ''
  const n = values.length
  const match = `strpos("searchText", lower($${n + 1}::text)) > 0`
  const ordered = reading.map(([c, d]) => `"${c}" ${d === 'desc' ? 'DESC' : 'ASC'}`).join(', ')
  const version = versioned ? KEPT_VERSION : ''
  if (path.read === 'walk' && path.rows > walkedFirst) {
    const walked = await pool.query({
      text: `SELECT ${LIST_COLUMNS}${version} FROM (SELECT ${LIST_COLUMNS}, "searchText" FROM ${from} WHERE ${filtersOnly.join(' AND ')}${keyset} ORDER BY ${orderSql(reading)} LIMIT $${n + 2}) AS walked WHERE ${match} ORDER BY ${ordered} LIMIT $${n + 3}`,
      values: [...values, search, path.rows, skip + take],
    })
    if (walked.rows.length === skip + take) return walked.rows.slice(skip)
  }
  if (path.read === 'walk' && path.then === 'planner') return undefined
  const hidden = `(SELECT lower($${n + 1}::text))`
  const indexed = short
    ? `"Product_search_grams"(lower(name || ' ' || sku || ' ' || description)) @> "Product_search_grams"(${hidden}) AND ${match.replaceAll(`lower($${n + 1}::text)`, hidden)}`
    : `"searchText" LIKE ${hidden}`
  // Every match's id and ordering key, sorted; then the page's rows by id (searchPath's "bitmap").
  // The heap rows are read anyway: stock without the stock keys' join.
  const onHeap = (text) => text.replaceAll('"stockKey"', '"stock"')
  const keys = reading.map(([c]) => `"Product"."${c}"`).join(', ')
  const { rows } = await withoutSeqScans(pool, {
    text: `SELECT ${LIST_COLUMNS}${version} FROM "Product" WHERE "Product"."id" = ANY(ARRAY((WITH matched AS MATERIALIZED (SELECT ${keys} FROM "Product" WHERE ${onHeap(filtersOnly.join(' AND '))} AND ${indexed}${onHeap(keyset)}) SELECT id FROM matched ORDER BY ${ordered} LIMIT $${n + 2} OFFSET $${n + 3}))) ORDER BY ${ordered}`,
    values: [...values, short ? search : `%${escapeLike(search)}%`, take, skip],
  })
  return rows
}

// A one-character term's page is walked before the estimate (walksFirst in search-path.ts).
const walksFirst = (search, need) => [...search].length === 1 && need <= 101
const physicalOrder = (reading) => reading[0][0] === 'id' || reading[0][0] === 'createdAt'
const firstWalk = (reading) => ({ read: 'walk', rows: physicalOrder(reading) ? 2_000 : 250, then: 'planner' })

async function searchPathOf(byKey, search, reading, need) {
  const { rows } = await byKey({ name: 'products-search-estimate-public', text: SEARCH_ESTIMATE, values: [search] })
  const estimate = { ...rows[0], exact: /^[\x21-\x7e]{1,3}$/.test(search) }
  return { estimate, path: searchPath(estimate, need, physicalOrder(reading)) }
}

// The service's kept search counts (SearchCounts, src/products/kept-by-version.ts): a count read in one statement
// with the version of SearchCountVersion answers the same search again while the estimate reads
// that version; concurrent misses wait for one reading. Not filtered by stock (never kept).
const searchCounts = new Map()
function keptSearchCount(key, version, read) {
  const entry = searchCounts.get(key)
  if (entry?.version === version) return entry.count
  if (searchCounts.size >= 1_000) searchCounts.clear()
  const count = read().then(({ rows: [row] }) => {
    searchCounts.set(key, { version: row.version, count: Promise.resolve(row.count) })
    return row.count
  })
  count.catch(() => searchCounts.get(key)?.count === count && searchCounts.delete(key))
  searchCounts.set(key, { version, count })
  return count
}

// The service's kept search pages (SearchPages, src/products/kept-by-version.ts): a page's ids, read
// with the version of SearchCountVersion in the page's own statement, answer the same page again,
// its rows read by id, while the estimate reads that version. Not by stock (never kept).
const KEPT_VERSION = ', (SELECT "version" FROM "SearchCountVersion")::text AS "keptVersion"'
const searchPages = new Map()
async function keptSearchPage(byKey, key, version, read) {
  const kept = key === undefined ? undefined : searchPages.get(key)
  const ids = kept?.version === version && Date.now() - kept.keptAt <= 60_000 ? kept.ids : undefined
  if (ids) {
    const { rows } = await byKey({
      name: 'products-kept-page-public',
      text: `SELECT ${LIST_COLUMNS} FROM "Product" WHERE "Product"."id" = ANY($1::int[]) AND ${VISIBLE} AND (SELECT "version" FROM "SearchCountVersion") = $2::bigint`,
      values: [ids, version],
    })
    if (rows.length === ids.length) {
      const byId = new Map(rows.map((row) => [row.id, row]))
      return ids.map((id) => byId.get(id))
    }
  }
  const rows = await read()
  if (key !== undefined && rows[0]?.keptVersion != null) {
    if (searchPages.size >= 5_000) searchPages.clear()
    searchPages.set(key, { version: rows[0].keptVersion, ids: rows.map((row) => row.id), keptAt: Date.now() })
  }
  return rows.map(({ keptVersion: _version, ...row }) => row)
}

/** GET /v1/products, anonymous view, any filter, page or cursor. */
export async function listProducts(pool, codec, url, byKey = (query) => pool.query(query)) {
  const q = url.searchParams
  const pageSize = int(q.get('pageSize')) ?? 20
  const order = parseOrdering(q.get('ordering'), PRODUCT_ORDERING, 'id')
  const values = []
  const param = (v) => `$${values.push(v)}`
  const where = [VISIBLE]
  const filter = { visibility: 'public' }
  if (q.has('categoryId')) where.push(`"categoryId" = ${param((filter.categoryId = int(q.get('categoryId'))))}`)
  if (q.has('minPrice')) where.push(`price >= ${param((filter.minPrice = Number(q.get('minPrice')).toFixed(2)))}`)
  if (q.has('maxPrice')) where.push(`price <= ${param((filter.maxPrice = Number(q.get('maxPrice')).toFixed(2)))}`)
  if (q.has('inStock')) {
    filter.inStock = q.get('inStock') === 'true'
    where.push(filter.inStock ? '"stockKey" > 0' : '"stockKey" = 0')
  }
  if (q.has('active')) {
    filter.active = q.get('active') === 'true'
    where.push(filter.active ? 'active' : 'NOT active')
  }
  const filtersOnly = [...where]
  const filterValues = [...values]
  let exactShortMatch
  const search = q.get('search')?.trim()
  const run = search && [...search].length < 3 ? (query) => withoutSeqScans(pool, query) : (query) => pool.query(query)
  if (search) {
    filter.search = search
    if ([...search].length < 3) {
      const term = param(search)
      where.push(`"Product_search_grams"(lower(name || ' ' || sku || ' ' || description)) @> "Product_search_grams"(lower(${term}::text))`)
      exactShortMatch = `strpos("searchText", lower(${term}::text)) > 0`
      where.push(exactShortMatch)
    } else {
      const pattern = param(`%${escapeLike(search)}%`)
      where.push(`"searchText" LIKE lower(${pattern}::text)`)
    }
  }
  const joined = '"Product" INNER JOIN "ProductStockKey" ON "ProductStockKey"."productId" = "Product"."id"'
  const countFrom = filter.inStock !== undefined ? joined : '"Product"' // the count has no ordering
  const from = filter.inStock !== undefined || order.some(([c]) => c === 'stock') ? joined : '"Product"'
  if (q.has('cursor')) {
    const position = codec.decode('products', order, filter, q.get('cursor'))
    const reading = position?.backwards ? flip(order) : order
    const keyset = position ? ` AND ${keysetSql(reading, position.key, param)}` : ''
    if (search) {
      const context = { from, filtersOnly, filterValues, key: position?.key, reading, search, short: Boolean(exactShortMatch) }
      const first = walksFirst(search, pageSize + 1)
      const walked = first ? await searchedRows(pool, firstWalk(reading), context, pageSize + 1) : undefined
      if (walked) return cursorPage(url, codec, 'products', order, filter, position, pageSize, walked)
      const { estimate, path } = await searchPathOf(byKey, search, reading, pageSize + 1)
      const pageKey = first || from !== '"Product"' ? undefined : JSON.stringify([filter, reading, position?.key ?? null, 0, pageSize + 1])
      const rows = await keptSearchPage(byKey, pageKey, estimate.version, async () => {
        const read = await searchedRows(pool, path, { ...context, versioned: true }, pageSize + 1, 0, first ? firstWalk(context.reading).rows : 0)
        if (read) return read
        const planned = `SELECT ${LIST_COLUMNS}${KEPT_VERSION} FROM ${from} WHERE ${where.join(' AND ')}${keyset} ORDER BY ${orderSql(reading)} LIMIT ${param(pageSize + 1)}`
        return (await run({ text: planned, values })).rows
      })
      return cursorPage(url, codec, 'products', order, filter, position, pageSize, rows)
    }
    const { rows } = await run({
      text: `SELECT ${LIST_COLUMNS} FROM ${from} WHERE ${where.join(' AND ')}${keyset} ORDER BY ${orderSql(reading)} LIMIT ${param(pageSize + 1)}`,
      values,
    })
    return cursorPage(url, codec, 'products', order, filter, position, pageSize, rows)
  }
  const page = int(q.get('page')) ?? 1
  const n = values.length
  // The public list's kept counts (migration 20261201150000_product_counts) answer a list filtered by
  // nothing but a category and active, as in the service; the kept gram counts (migration
  // 20261202120000_search_gram_counts) an ASCII search of one to three characters filtered by nothing but active.
  const kept = Object.keys(filter).every((key) => ['visibility', 'categoryId', 'active'].includes(key))
  const keptGram =
    Object.keys(filter).every((key) => ['visibility', 'search', 'active'].includes(key)) && /^[\x21-\x7e]{1,3}$/.test(search ?? '') && filter.active !== false
  const countQuery = keptGram
    ? {
        name: 'products-count-gram-visible',
        text: 'SELECT coalesce(sum(visible), 0)::int AS count FROM "SearchGramCount" WHERE gram = lower($1::text)',
        values: [search],
      }
    : !kept
      ? { text: `SELECT count(*)::int AS count FROM ${countFrom} WHERE ${where.join(' AND ')}`, values }
      : filter.active === false
        ? { name: 'products-count-0', text: 'SELECT coalesce(sum(0), 0)::int AS count FROM "CategoryProductCount"', values: [] }
        : filter.categoryId === undefined
          ? { name: 'products-count-visible', text: 'SELECT coalesce(sum(visible), 0)::int AS count FROM "CategoryProductCount"', values: [] }
          : {
              name: 'products-count-visible-category',
              text: 'SELECT coalesce(sum(visible), 0)::int AS count FROM "CategoryProductCount" WHERE "categoryId" = $1',
              values: [filter.categoryId],
            }
  const skip = (page - 1) * pageSize
  const context = { from, filtersOnly, filterValues, key: undefined, reading: order, search, short: Boolean(exactShortMatch) }
  const first = search && walksFirst(search, skip + pageSize)
  const [searched, walked] = search
    ? await Promise.all([
        searchPathOf(byKey, search, order, skip + pageSize),
        first ? searchedRows(pool, firstWalk(order), context, pageSize, skip) : undefined,
      ])
    : []
  if (searched?.path.read === 'none') {
    if (page > 1) throw new BadRequest('page past the end')
    return pageOf(url, page, pageSize, 0, [])
  }
  const readPage = async () => {
    if (walked) return { rows: walked }
    if (searched) {
      const pageKey = first || from !== '"Product"' ? undefined : JSON.stringify([filter, order, null, skip, pageSize])
      const rows = await keptSearchPage(byKey, pageKey, searched.estimate.version, async () => {
        const read = await searchedRows(pool, searched.path, { ...context, versioned: true }, pageSize, skip, first ? firstWalk(context.reading).rows : 0)
        if (read) return read
        const planned = `SELECT ${LIST_COLUMNS}${KEPT_VERSION} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${orderSql(order)} LIMIT $${n + 1} OFFSET $${n + 2}`
        return (await run({ text: planned, values: [...values, pageSize, skip] })).rows
      })
      return { rows }
    }
    if (Object.keys(filter).length === 1 && order.length <= 2 && order.every(([column]) => COVERED_ORDERINGS.has(column))) {
      // The service's plain page in an ordering whose index holds the visibility columns (pageByIds):
      // its ids from that index alone, then its rows by id.
      return run({
        text: `SELECT ${LIST_COLUMNS} FROM "Product" WHERE id = ANY(ARRAY(SELECT id FROM "Product" WHERE ${VISIBLE} ORDER BY ${orderSql(order)} LIMIT $1 OFFSET $2)) ORDER BY ${orderSql(order)}`,
        values: [pageSize, skip],
      })
    }
    return run({
      text: `SELECT ${LIST_COLUMNS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${orderSql(order)} LIMIT $${n + 1} OFFSET $${n + 2}`,
      values: [...values, pageSize, skip],
    })
  }
  const plainSearch = searched?.estimate.exact && Object.keys(filter).length === 2
  const keptSearch = searched && !keptGram && !kept && filter.inStock === undefined
  const counted = plainSearch
    ? Promise.resolve({ rows: [{ count: searched.estimate.matches }] })
    : keptSearch
      ? keptSearchCount(JSON.stringify(filter), searched.estimate.version, () =>
          run({
            ...countQuery,
            text: countQuery.text.replace(
              'SELECT count(*)::int AS count',
              'SELECT count(*)::int AS count, (SELECT "version" FROM "SearchCountVersion")::text AS version',
            ),
          }),
        ).then((count) => ({ rows: [{ count }] }))
      : keptGram || kept
        ? pool.query(countQuery) // a kept count: one statement, as the service reads it
        : run(countQuery)
  const [count, rows] = await Promise.all([counted, readPage()])
  if (page > Math.max(1, Math.ceil(count.rows[0].count / pageSize))) throw new BadRequest('page past the end')
  return pageOf(url, page, pageSize, count.rows[0].count, rows.rows)
}

const ORDER_COLUMNS = `id, "userId", status, total, note, "createdAt", "updatedAt"`

/** GET /v1/orders: a customer's own orders, or staff's (optionally by status); page mode. */
export async function listOrders(pool, user, url) {
  const q = url.searchParams
  const pageSize = int(q.get('pageSize')) ?? 20
  const page = int(q.get('page')) ?? 1
  const order = parseOrdering(q.get('ordering'), ORDER_ORDERING, '-createdAt')
  const values = []
  const where = []
  if (user.role === 'customer') where.push(`"userId" = $${values.push(user.id)}`)
  if (q.has('status')) where.push(`status = $${values.push(q.get('status'))}::"OrderStatus"`)
  const condition = where.length ? where.join(' AND ') : 'TRUE'
  const n = values.length
  const [count, rows] = await Promise.all([
    pool.query({ text: `SELECT count(*)::int AS count FROM "Order" WHERE ${condition}`, values }),
    pool.query({
      text: `SELECT ${ORDER_COLUMNS} FROM "Order" WHERE ${condition} ORDER BY ${orderSql(order)} LIMIT $${n + 1} OFFSET $${n + 2}`,
      values: [...values, pageSize, (page - 1) * pageSize],
    }),
  ])
  const ids = rows.rows.map((r) => r.id)
  const items = ids.length
    ? (
        await pool.query({
          text: `SELECT "orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal" FROM "OrderItem" WHERE "orderId" = ANY($1) ORDER BY "productId"`,
          values: [ids],
        })
      ).rows
    : []
  const byOrder = new Map()
  for (const item of items) byOrder.set(item.orderId, [...(byOrder.get(item.orderId) ?? []), item])
  const results = rows.rows.map((o) => ({ ...o, items: (byOrder.get(o.id) ?? []).map(({ orderId: _orderId, ...line }) => line) }))
  return pageOf(url, page, pageSize, count.rows[0].count, results)
}
