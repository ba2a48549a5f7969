// HTTP for the drill: JSON in and out, a client address of our choosing (X-Forwarded-For, which
// the instances believe from the loopback proxy only: TRUST_PROXY=loopback), never a throw on status.
import { randomInt } from 'node:crypto'

/** A documentation-range IPv6 client (2001:db8::/32) in a /64 of its own: rate limits count per /64. */
export const randomClientIp = () => `2001:db8:${randomInt(0x10000).toString(16)}:${randomInt(0x10000).toString(16)}::1`

/** { status, body, headers } or { status: 0, error } when no answer came (connection refused/reset). */
export async function request(baseUrl, method, path, { body, token, ip = randomClientIp(), headers = {}, timeoutMs = 15_000 } = {}) {
  const all = { 'x-forwarded-for': ip, ...headers }
  if (body !== undefined) all['content-type'] = 'application/json'
  if (token) all.authorization = `Bearer ${token}`
  try {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await res.text()
    let json
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    return { status: res.status, body: json, text, headers: res.headers, url: new URL(path, baseUrl), servedBy: res.headers.get('x-served-by') }
  } catch (err) {
    return { status: 0, error: err.cause?.code ?? err.name ?? String(err) }
  }
}

export function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.error ?? res.text?.slice(0, 300)}`)
  return res.body
}
