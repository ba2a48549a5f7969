import { type BodySpec, type Caller, type FuzzCase, LooseId } from './cases.js';
import type { Operation } from './openapi.js';
import { isJsonText, PoolRef, PreEncoded, Repeat } from './placeholders.js';

/** A request ready to send: what World made of a FuzzCase. */
export interface HttpRequest {
  method: string;
  /** Path and query, percent-encoded. */
  url: string;
  /** "METHOD /template" */
  operation: string;
  template: string;
  /** The operation, when the document declares this method on this path. */
  declared?: Operation;
  /** Path parameters as the server decodes them (undefined: not decodable). */
  pathValues: Array<string | undefined>;
  /** Query pairs, decoded. */
  query: Array<[string, string | undefined]>;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

type OrderStatus = 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled';
interface KnownOrder {
  status: OrderStatus;
  lines: Array<{ productId: number; quantity: number }>;
}

/** Unreserved characters stay, everything else is %XX of its UTF-8 bytes (lone surrogates become U+FFFD). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The state the fuzzer shares with the service: pools of rows that exist (ids, refresh tokens,
 * e-mails, ETags) to aim requests at, the callers' tokens, and a model of stock built only from
 * the API's own answers — each product's stock plus what non-cancelled orders hold of it must
 * stay at the level its creation or last stock write set (checked in SQL at the end).
 */
export class World {
  private readonly pools = new Map<string, unknown[]>();
  /** product id → stock + quantity held by non-cancelled orders, as the API's answers imply. */
  readonly stockLevels = new Map<number, number>();
  readonly orders = new Map<number, KnownOrder>();
  /** Rows the API answered 201 for, by pool. */
  readonly created = new Map<string, number>();

  constructor(
    private readonly operations: Map<string, Operation>,
    private readonly authorization: Record<Caller, string | undefined>,
  ) {}

  add(pool: string, ...values: unknown[]): void {
    const list = this.pools.get(pool) ?? [];
    for (const value of values) if (!list.includes(value)) list.push(value);
    this.pools.set(pool, list);
  }

  /** Writes go to the `<resource>:writable` pool where there is one: the seeded products stay orderable at their prices. */
  poolFor(operation: Operation): string {
    const resource = /^\/v1\/(\w+)/.exec(operation.path)?.[1] ?? 'none';
    const write = ['PUT', 'PATCH', 'DELETE'].includes(operation.method);
    return write && this.pools.has(`${resource}:writable`) ? `${resource}:writable` : resource;
  }

  describeCreated(): string {
    return [...this.created.entries()].map(([pool, n]) => `${n} ${pool}`).join(', ');
  }

  private pick(ref: PoolRef): unknown {
    const list = this.pools.get(ref.pool) ?? [];
    // An empty pool stands for rows that do not exist (yet): an id no row has.
    return list.length ? list[ref.pick % list.length] : 2_000_000_000;
  }

  /** Pool references and long strings replaced by their values (JSON text placeholders stay). */
  private materialise(value: unknown): unknown {
    if (value instanceof PoolRef) return this.pick(value);
    if (value instanceof Repeat) return value.materialise();
    if (value instanceof LooseId) return value.format(Number(this.pick(value.ref)));
    return value;
  }

  private scalar(value: unknown): string {
    const v = this.materialise(value);
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : (JSON.stringify(v) ?? '');
  }

  /** JSON text of a generated body, placeholders written out (deep nesting and odd numbers as text). */
  toJson(value: unknown): string {
    const v = this.materialise(value);
    if (isJsonText(v)) return v.jsonText();
    if (Array.isArray(v)) return `[${v.map((item) => (item === undefined ? 'null' : this.toJson(item))).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const members = Object.entries(v).filter(([, item]) => item !== undefined);
      return `{${members.map(([key, item]) => `${JSON.stringify(key)}:${this.toJson(item)}`).join(',')}}`;
    }
    return JSON.stringify(v) ?? 'null';
  }

  private bodyBytes(body: BodySpec): Buffer {
    if (body.kind === 'bytes') return Buffer.from(body.value as number[]);
    if (body.kind === 'text') return Buffer.from(body.value as string, 'utf8');
    return Buffer.from(this.toJson(body.value), 'utf8');
  }

  resolve(c: FuzzCase): HttpRequest {
    const [method, template] = c.operation.split(' ') as [string, string];
    const pathValues: Array<string | undefined> = [];
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const raw = c.path[name];
      if (raw instanceof PreEncoded) {
        pathValues.push(decode(raw.text));
        return raw.text;
      }
      const text = this.scalar(raw);
      pathValues.push(text);
      return percentEncode(text);
    });
    const query: Array<[string, string | undefined]> = [];
    const encoded = c.query.map(([name, raw]) => {
      if (raw instanceof PreEncoded) {
        query.push([name, decode(raw.text)]);
        return `${percentEncode(name)}=${raw.text}`;
      }
      const text = this.scalar(raw);
      query.push([name, text]);
      return `${percentEncode(name)}=${percentEncode(text)}`;
    });
    const headers: Record<string, string> = {};
    const auth = this.authorization[c.as];
    if (auth !== undefined) headers.authorization = auth;
    for (const [name, value] of c.headers) headers[name.toLowerCase()] = this.scalar(value);
    let body: Buffer | undefined;
    if (c.body) {
      body = this.bodyBytes(c.body);
      if (c.body.contentType !== undefined) headers['content-type'] = c.body.contentType;
    }
    return {
      method,
      url: encoded.length ? `${path}?${encoded.join('&')}` : path,
      operation: c.operation,
      template,
      declared: this.operations.get(c.operation),
      pathValues,
      query,
      headers,
      body,
    };
  }

  /** Learns from an answer: new rows for the pools, and the stock model. */
  observe(req: HttpRequest, res: HttpResponse): void {
    if (res.headers.etag) this.add('etags', res.headers.etag);
    const ok = res.status >= 200 && res.status < 300;
    if (!ok || !res.headers['content-type']?.startsWith('application/json')) return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      return; // the oracle reports a success that is not JSON
    }
    const resource = /^\/v1\/(\w+)/.exec(req.template)?.[1];
    if (req.method === 'POST' && res.status === 201 && typeof body.id === 'number' && resource) {
      const pool = resource === 'auth' ? 'users' : resource;
      if (!this.pools.get(pool)?.includes(body.id)) this.created.set(pool, (this.created.get(pool) ?? 0) + 1);
      this.add(pool, body.id);
      if (this.pools.has(`${pool}:writable`)) this.add(`${pool}:writable`, body.id);
    }
    if (typeof body.refreshToken === 'string') this.add('refreshTokens', body.refreshToken);
    if (req.template === '/v1/auth/register' && typeof body.email === 'string') this.add('emails', body.email);

    if (req.template === '/v1/orders' && req.method === 'POST') this.orderPlaced(body);
    if (req.template === '/v1/orders/{id}' && req.method === 'PATCH') this.orderMoved(body);
    if (req.template.startsWith('/v1/products') && ['POST', 'PUT', 'PATCH'].includes(req.method)) {
      this.stockLevels.set(body.id as number, (body.stock as number) + this.held(body.id as number));
    }
  }

  private orderPlaced(body: Record<string, unknown>): void {
    // A replay (Idempotency-Key) answers the first response again, whatever happened since.
    if (this.orders.has(body.id as number)) return;
    const items = body.items as Array<{ productId: number; quantity: number }>;
    this.orders.set(body.id as number, { status: body.status as OrderStatus, lines: items.map(({ productId, quantity }) => ({ productId, quantity })) });
  }

  private orderMoved(body: Record<string, unknown>): void {
    const order = this.orders.get(body.id as number);
    if (order) order.status = body.status as OrderStatus;
  }

  /** Quantity of `productId` in orders the API said were placed and not cancelled. */
  held(productId: number): number {
    let total = 0;
    for (const order of this.orders.values()) {
      if (order.status === 'cancelled') continue;
      for (const line of order.lines) if (line.productId === productId) total += line.quantity;
    }
    return total;
  }
}
