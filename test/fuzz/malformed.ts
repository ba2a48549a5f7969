import fc from 'fast-check';
import { Nested, RawJson, Repeat } from './placeholders.js';

/**
 * The malformation layer: hostile strings, numbers and shapes, and mutations that turn a
 * valid body into an almost-valid one (a wrong type, a missing or extra field, a NUL byte
 * three levels down).
 */

/** Strings a text field (or query, path or header value) should survive: controls, broken UTF-16, odd unicode, injection-shaped text. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'nul at end\u0000',
  '\u0001\u0002\u0003\u001b[31m',
  '\t\n\r\u000b\u000c',
  '\u007f',
  '\u0085\u009f',
  '\ud800',
  '\udc00x',
  'x\ud83d',
  '\ufeffbom',
  '\u200b\u200e\u202eevil',
  '\uffff\ufffe',
  '😀😀',
  'e\u0301',
  '田中',
  'مرحبا',
  '𝕳𝖊𝖑𝖑𝖔',
  "'",
  '"',
  '\\',
  '%',
  '_',
  '%_\\%',
  "' OR '1'='1",
  '1; DROP TABLE x; --',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  '%00',
  '%s%n%x',
  '\\u0000',
];

/** A C0 control character (NUL most often: PostgreSQL cannot store it) inside otherwise ordinary text. */
const controlCharacter = fc.oneof(
  { weight: 3, arbitrary: fc.constant('\u0000') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 31 }).map((c) => String.fromCharCode(c)) },
);
const withControlCharacter = fc.tuple(fc.string({ maxLength: 6 }), controlCharacter, fc.string({ maxLength: 6 })).map((parts) => parts.join(''));

/** The hostile strings above, or ordinary text with a control character in it. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: withControlCharacter },
);

/** Integers written as something other than canonical decimal digits (the contract says 400). */
export const NON_CANONICAL_NUMBERS = [
  ...['0x10', '1e3', '1e+3', '+16', ' 16', '16 ', '16.0', '1.5', '1_000', '1,000'],
  ...['٣', '１６', 'Infinity', 'NaN', '-0', '0b101', '0o17', '16abc', '\u000016', ''],
];

/** Canonical digits outside the id / int4 range. */
export const OUT_OF_RANGE_NUMBERS = [
  '99999999999999999999',
  '0',
  '-1',
  '2147483648',
  '9223372036854775808',
  '4294967296',
  '9007199254740993',
  '1' + '0'.repeat(400),
];

/** JSON numbers JavaScript cannot hold exactly, as text (JSON.stringify would not write them). */
const HUGE_JSON_NUMBERS = ['1e999', '-1e999', '123456789012345678901234567890', '0.0000000000000000000000001', '-0', '1E400', '99999999999999999999.99'];

/** Any JSON value of the wrong kind, for any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '1', '1.00') },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], [1], {}, { a: 1 }, { $gt: '' }, [null]) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_JSON_NUMBERS).map((text) => new RawJson(text)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(100, 1000, 1300, 2000, 5000, 20000), fc.constantFrom('array' as const, 'object' as const))
      .map(([d, s]) => new Nested(d, s)),
  },
  { weight: 1, arbitrary: fc.constantFrom(new Repeat('x', 10_000), new Repeat('\u0000', 1000), new Repeat('😀', 5000), new Repeat('x', 1_100_000)) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Field names a body should refuse: fields the server owns, prototype keys, junk. */
const EXTRA_KEYS = [
  ...['id', 'role', 'userId', 'total', 'status', 'price', 'isAdmin', 'createdAt', 'version'],
  ...['__proto__', 'constructor', 'prototype', '', ' ', '\u0000', 'items.0'],
];

export interface Mutation {
  /** replace: any value by a hostile one; poison: a string by a hostile string (or with one appended); delete; add a field. */
  kind: 'replace' | 'poison' | 'delete' | 'add';
  pick: number;
  key: string;
  value: unknown;
  text: string;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'poison', 'poison', 'delete', 'add'),
  pick: fc.nat(),
  key: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...EXTRA_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
  value: hostileValue,
  text: hostileString,
});

type Container = Record<string, unknown> | unknown[];
const isPlainContainer = (v: unknown): v is Container =>
  Array.isArray(v) || (typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v)));

/** Every (container, key) inside `value`, depth first, plus the containers themselves. */
function slots(value: unknown, out: Array<{ parent: Container; key: string | number }> = [], containers: Container[] = []) {
  if (!isPlainContainer(value)) return { out, containers };
  containers.push(value);
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  for (const key of keys) {
    out.push({ parent: value, key });
    slots((value as Record<string | number, unknown>)[key], out, containers);
  }
  return { out, containers };
}

function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (isPlainContainer(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  return value;
}

/** Applies the mutations to a copy of `body`; a body that is not an object or array gets replaced whole. */
export function mutate(body: unknown, mutations: Mutation[]): unknown {
  let root = deepCopy(body);
  for (const mutation of mutations) {
    // A copy: generated values are shared between runs (a constant [] would grow, or contain itself).
    const m = { ...mutation, value: deepCopy(mutation.value) };
    const { out, containers } = slots(root);
    if (m.kind === 'add' || out.length === 0) {
      if (containers.length === 0) {
        root = m.value;
        continue;
      }
      const target = containers[m.pick % containers.length];
      if (Array.isArray(target)) target.push(m.value);
      // defineProperty: an own "__proto__" key, as JSON.parse would make it, not a prototype change.
      else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    if (m.kind === 'poison') {
      const strings = out.filter(({ parent, key }) => typeof (parent as Record<string | number, unknown>)[key] === 'string');
      if (strings.length === 0) continue;
      const { parent, key } = strings[m.pick % strings.length];
      const record = parent as Record<string | number, unknown>;
      record[key] = m.pick % 2 ? `${record[key] as string}${m.text}` : m.text;
      continue;
    }
    const { parent, key } = out[m.pick % out.length];
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key as string];
    } else {
      (parent as Record<string | number, unknown>)[key] = m.value;
    }
  }
  return root;
}

/** Whole bodies that are not a JSON object of the right shape. */
export const RAW_BODIES = [
  '',
  ' ',
  '[]',
  '[{}]',
  '"text"',
  '42',
  'null',
  'true',
  '{',
  '{"a":}',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '\ufeff{}',
  '/* comment */{}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":0x10}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '{"a":"\u0000"}',
  '{"a":"\\u0000"}',
  '{"items":[],"items":[{"productId":1,"quantity":1}]}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":{"__proto__":{"polluted":true}}}',
  'email=a%40b.co&password=x',
  '<?xml version="1.0"?><a/>',
  'hello',
];

/** Bytes that are not UTF-8, inside an otherwise valid JSON object. */
export const INVALID_UTF8_BODIES = [
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d],
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d],
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d],
];

/** Content types other than plain application/json, some acceptable, most not. */
export const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json, text/plain',
  'application/problem+json',
  'application/vnd.api+json',
  'application/jsonx',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  '',
  undefined,
];
