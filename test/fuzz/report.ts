import type { Violation } from './oracle.js';
import type { HttpRequest, HttpResponse } from './world.js';

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);

/** A request as one would retype it: method, URL, headers, body (clipped, escaped). */
export function describeRequest(req: HttpRequest): string {
  const headers = Object.entries(req.headers).map(([n, v]) => `\n    ${n}: ${clip(JSON.stringify(v), 200)}`);
  const body = req.body ? `\n    body (${req.body.length} bytes): ${clip(JSON.stringify(req.body.toString('utf8')), 400)}` : '';
  return `${req.method} ${clip(req.url, 300)}${headers.join('')}${body}`;
}

export function describeResponse(res: HttpResponse): string {
  return `${res.status} ${res.headers['content-type'] ?? '(no content type)'}${res.headers.allow ? ` Allow: ${res.headers.allow}` : ''}\n    ${clip(res.text, 500)}`;
}

export function describeFailure(req: HttpRequest, res: HttpResponse, violations: Violation[]): string {
  return `${violations.map((v) => `${v.kind}: ${v.detail}`).join('\n  ')}\n  request:  ${describeRequest(req)}\n  response: ${describeResponse(res)}`;
}

/** The figures of a run: requests, operations covered, statuses seen, distinct failures. */
export class FuzzStats {
  requests = 0;
  private readonly byOperation = new Map<string, Map<number, number>>();
  private readonly failures = new Map<string, { count: number; example: string }>();

  record(req: HttpRequest, res: HttpResponse): void {
    this.requests += 1;
    const statuses = this.byOperation.get(req.operation) ?? new Map<number, number>();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    this.byOperation.set(req.operation, statuses);
  }

  /** Keeps the first example of each distinct failure (kind × operation). */
  fail(req: HttpRequest, res: HttpResponse, violations: Violation[]): void {
    for (const v of violations) {
      const key = `${v.kind} — ${req.operation}`;
      const seen = this.failures.get(key);
      if (seen) seen.count += 1;
      else this.failures.set(key, { count: 1, example: describeFailure(req, res, [v]) });
    }
  }

  get distinctFailures(): number {
    return this.failures.size;
  }

  failureReport(): string {
    return [...this.failures.entries()].map(([key, { count, example }], i) => `#${i + 1} ${key} (${count}×)\n  ${example}`).join('\n\n');
  }

  /** Declared operations no request was sent to. */
  uncovered(declared: string[]): string[] {
    return declared.filter((op) => !this.byOperation.has(op));
  }

  summary(declared: string[]): string {
    const total = new Map<number, number>();
    for (const statuses of this.byOperation.values()) for (const [s, n] of statuses) total.set(s, (total.get(s) ?? 0) + n);
    const undeclared = [...this.byOperation.keys()].filter((op) => !declared.includes(op));
    const line = (statuses: Map<number, number>) =>
      [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
    const perOperation = declared.map((op) => `  ${op.padEnd(34)} ${line(this.byOperation.get(op) ?? new Map())}`);
    return [
      `requests sent: ${this.requests}`,
      `operations covered: ${declared.length - this.uncovered(declared).length}/${declared.length}, plus ${undeclared.length} undeclared method × path pairs`,
      `statuses seen: ${line(total)}`,
      ...perOperation,
    ].join('\n');
  }
}
