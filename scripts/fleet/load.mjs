// A steady load through the proxy: readers (product by id, product pages) and buyers placing
// one-unit orders with a fresh Idempotency-Key each. Every answer is recorded; with `retry`,
// an answer that a client may safely repeat (no answer at all, 502, 503, 504) is repeated with
// the same key, as a well-behaved client would.
import { randomUUID } from 'node:crypto'
import { request } from './http.mjs'
import { sleep } from './wait.mjs'

const RETRYABLE = new Set([0, 502, 503, 504])
const MAX_ATTEMPTS = 6

export function startLoad({ baseUrl, readers, buyers, productIds, orderProductId, pauseMs = 20, retry = false }) {
  let running = true
  const stats = { startedAt: Date.now(), endedAt: 0, reads: 0, orders: 0, retries: 0, statuses: {}, failures: [], placed: [] }
  const record = (kind, res) => {
    const key = `${kind} ${res.status || res.error}`
    stats.statuses[key] = (stats.statuses[key] ?? 0) + 1
  }
  const attempt = async (kind, send, ok) => {
    for (let n = 1; ; n++) {
      const res = await send()
      record(kind, res)
      if (res.status === ok) return res
      if (!(retry && RETRYABLE.has(res.status) && n < MAX_ATTEMPTS)) {
        stats.failures.push({
          at: Date.now(),
          kind,
          status: res.status,
          error: res.error,
          detail: res.body?.detail ?? res.text?.slice(0, 120),
          servedBy: res.servedBy,
        })
        return undefined
      }
      stats.retries += 1
      await sleep(100 * n)
    }
  }
  const reader = async (i) => {
    while (running) {
      const id = productIds[(Math.random() * productIds.length) | 0]
      const path = i % 2 === 0 ? `/v1/products/${id}` : `/v1/products?page=${1 + ((Math.random() * 2) | 0)}&pageSize=20&ordering=-price`
      await attempt('read', () => request(baseUrl, 'GET', path), 200)
      stats.reads += 1
      await sleep(pauseMs)
    }
  }
  const buyer = async ({ token, userId }) => {
    while (running) {
      const key = randomUUID()
      const body = { items: [{ productId: orderProductId, quantity: 1 }] }
      const res = await attempt('order', () => request(baseUrl, 'POST', '/v1/orders', { body, token, headers: { 'idempotency-key': key } }), 201)
      stats.orders += 1
      if (res) stats.placed.push({ userId, key, orderId: res.body.id })
      await sleep(pauseMs)
    }
  }
  const loops = [...Array.from({ length: readers }, (_, i) => reader(i)), ...buyers.map(buyer)]
  return {
    stats,
    async stop() {
      running = false
      await Promise.all(loops)
      stats.endedAt = Date.now()
      return stats
    },
  }
}

export function describeLoad(stats) {
  const seconds = (stats.endedAt - stats.startedAt) / 1000
  return `${seconds.toFixed(1)} s: ${stats.reads} reads (${(stats.reads / seconds).toFixed(0)}/s), ${stats.orders} order placements (${(stats.orders / seconds).toFixed(0)}/s), ${stats.retries} client retries; answers ${JSON.stringify(stats.statuses)}`
}
