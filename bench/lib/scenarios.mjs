// The four scenarios of issue 7, as request generators shared by the service and the baseline.
const pick = (list) => list[Math.floor(Math.random() * list.length)]

/**
 * Each scenario: id, label, expected status, and next() → { method, path, headers?, body? }
 * (a new random request per call), or a fixed request when it never varies.
 */
export function buildScenarios({ productIds, pageSize = 20, tokens }) {
  const pages = Math.max(1, Math.ceil(productIds.length / pageSize))
  return [
    {
      id: 'S0',
      label: 'GET /health/live',
      status: 200,
      fixed: { method: 'GET', path: '/health/live' },
    },
    {
      id: 'S1',
      label: 'GET /v1/products/{random id}',
      status: 200,
      next: () => ({ method: 'GET', path: `/v1/products/${pick(productIds)}` }),
    },
    {
      id: 'S2',
      label: `GET /v1/products?page={1..${pages}}&pageSize=${pageSize}&ordering=-price`,
      status: 200,
      next: () => ({ method: 'GET', path: `/v1/products?page=${1 + Math.floor(Math.random() * pages)}&pageSize=${pageSize}&ordering=-price` }),
    },
    {
      id: 'S3',
      label: 'POST /v1/orders (bearer token, 2 random lines)',
      status: 201,
      next: () => {
        const first = pick(productIds)
        let second = pick(productIds)
        while (second === first && productIds.length > 1) second = pick(productIds)
        const items = [
          { productId: first, quantity: 1 + Math.floor(Math.random() * 3) },
          { productId: second, quantity: 1 + Math.floor(Math.random() * 3) },
        ]
        return {
          method: 'POST',
          path: '/v1/orders',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${pick(tokens)}` },
          body: JSON.stringify({ items }),
        }
      },
    },
  ]
}

/** One request of the scenario with fetch: its status decides whether the target implements it. */
export async function probe(baseUrl, scenario) {
  const { method, path, headers, body } = scenario.fixed ?? scenario.next()
  const res = await fetch(new URL(path, baseUrl), { method, headers, body })
  const text = await res.text()
  return { status: res.status, body: text.slice(0, 300) }
}
