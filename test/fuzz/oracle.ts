import type { HttpRequest, HttpResponse } from './world.js';

/** One broken promise of the contract, seen in one response. */
export interface Violation {
  /** Short and stable: failures with the same kind on the same operation are one failure. */
  kind: string;
  detail: string;
}

const anyOf = (...alternatives: string[]) => new RegExp(alternatives.join('|'));

/** What no response body may contain: traces, SQL and driver messages, file paths, names of the code and its libraries. */
const LEAKS: Array<[string, RegExp]> = [
  ['stack trace', anyOf(String.raw`\n\s+at \S`, String.raw`\bat (?:async )?[\w$.<>[\]]+ \((?:file:|node:|/)`, 'node:internal')],
  [
    'SQL',
    anyOf(
      String.raw`\b(?:SELECT|INSERT INTO|UPDATE "|DELETE FROM)\b`,
      'SQLSTATE',
      'syntax error at or near',
      String.raw`violates \S+ (?:key )?constraint`,
      'duplicate key value',
      'invalid byte sequence',
      'invalid input (?:syntax|value)',
      'numeric field overflow',
      'out of range for type',
      'relation "',
      'column "',
      String.raw`"code":"(?:P\d{4}|\d{2}[0-9A-Z]{3})"`,
    ),
  ],
  [
    'file path',
    anyOf(String.raw`/(?:work|home|root|usr|opt|srv|app)/\S`, 'node_modules', String.raw`\b(?:src|dist)/[\w-]+/`, String.raw`\.(?:ts|js|mjs|cjs):\d+`),
  ],
  [
    'internal name',
    anyOf(
      String.raw`\b(?:Prisma\w*|prisma|FST_\w+|[Ff]astify|NestJS|@nestjs|class-(?:validator|transformer)|ProblemException|HttpException)`,
      String.raw`\b(?:Type|Range|Reference|Syntax|URI)Error\b`,
      'Maximum call stack',
      String.raw`\bECONN\w+`,
      String.raw`\b\w+(?:Dto|Controller|Service|Repository|Pipe|Guard)\b`,
      'Unexpected (?:token|end of JSON)',
      'in JSON at position',
      '"(?:Product|Order|OrderItem|User|Category|RefreshToken|IdempotencyKey|OrderStatusChange)"',
    ),
  ],
];

/** A problem document's own words must not show that the code printed something it did not mean to. */
const GARBLED = /\bundefined\b|\bNaN\b|\[object Object\]/;
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const INT32_MAX = 2_147_483_647;

/** Canonical decimal digits (and, for ids, in the int4 range); leading zeros are left alone (the contract does not say). */
function strictNumber(value: string | undefined, kind: 'id' | 'page'): 'valid' | 'invalid' | 'lenient' {
  if (value === undefined) return 'invalid';
  if (/^0\d+$/.test(value)) return 'lenient';
  if (!/^[1-9]\d*$/.test(value)) return 'invalid';
  // A page past the end is a 404 about that page, which is fine.
  return kind === 'page' || Number(value) <= INT32_MAX ? 'valid' : 'invalid';
}

/** Everything the request said, decoded where it can be. */
function sentText(req: HttpRequest): string {
  let url = req.url;
  try {
    url = decodeURIComponent(req.url);
  } catch {
    // a malformed escape: the raw URL will do
  }
  return `${url} ${Object.values(req.headers).join(' ')} ${req.body?.toString('utf8') ?? ''}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Checks one answer against the contract; an empty list means it keeps every promise. */
export function check(req: HttpRequest, res: HttpResponse): Violation[] {
  const violations: Violation[] = [];
  const fail = (kind: string, detail: string) => violations.push({ kind, detail });
  const type = res.headers['content-type'] ?? '';

  if (res.status >= 500) fail(`${res.status} answer`, `status ${res.status}`);

  if (res.status >= 400) {
    const body = parseJson(res.text) as Record<string, unknown> | undefined;
    if (!type.startsWith('application/problem+json')) fail('error not problem+json', `Content-Type ${JSON.stringify(type)}`);
    if (!body || typeof body !== 'object') fail('error body not a JSON object', res.text.slice(0, 200));
    else {
      if (body.status !== res.status) fail('problem status mismatch', `status ${res.status}, body.status ${JSON.stringify(body.status)}`);
      for (const member of ['type', 'title', 'detail', 'instance'] as const) {
        if (typeof body[member] !== 'string') fail('problem member missing', `${member} is ${JSON.stringify(body[member])}`);
      }
      const words = JSON.stringify([body.title, body.detail, body.errors]);
      const garbled = GARBLED.exec(words)?.[0];
      // "Unknown ordering field: NaN" only repeats what was sent.
      if (garbled && !sentText(req).includes(garbled)) fail('garbled problem text', words.slice(0, 300));
    }
  } else if (res.status >= 200 && res.status < 300 && res.status !== 204 && res.text !== '' && !type.startsWith('application/json')) {
    fail('success not JSON', `Content-Type ${JSON.stringify(type)}`);
  }

  for (const [kind, pattern] of LEAKS) {
    const match = pattern.exec(res.text);
    if (match) fail(`leak: ${kind}`, `…${res.text.slice(Math.max(0, match.index - 60), match.index + 80)}…`);
  }

  const requestId = res.headers['x-request-id'];
  if (requestId === undefined || !WELL_FORMED_REQUEST_ID.test(requestId)) fail('bad X-Request-Id answered', JSON.stringify(requestId));

  if (!req.declared) {
    const declared = res.headers.allow?.split(',').map((m) => m.trim().toUpperCase());
    if (res.status !== 405) fail('undeclared method not 405', `status ${res.status}`);
    else if (!declared?.length) fail('405 without Allow', 'no Allow header');
  }

  // Ids and page numbers are canonical decimal digits (the contract): anything else is a 400, never read as a number
  // (which shows as a row, a page, or a 404 / 409 / 412 about the number it was read as).
  const readAsNumber = res.status < 300 || res.status === 304 || [404, 409, 412].includes(res.status);
  if (req.declared && readAsNumber && req.pathValues.some((v) => strictNumber(v, 'id') === 'invalid')) {
    fail('loose path id', `path ${JSON.stringify(req.pathValues)} answered ${res.status}`);
  }
  const numeric = req.query.filter(([name]) => name === 'page' || /Id$/.test(name));
  const looseQuery = numeric.some(([name, value]) => strictNumber(value, name === 'page' ? 'page' : 'id') === 'invalid');
  if (req.declared && readAsNumber && looseQuery) {
    fail('loose query number', `${JSON.stringify(numeric)} answered ${res.status}`);
  }
  return violations;
}
