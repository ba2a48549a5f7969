import fc from 'fast-check';
import {
  CONTENT_TYPES,
  HOSTILE_STRINGS,
  hostileString,
  hostileValue,
  INVALID_UTF8_BODIES,
  mutate,
  mutation,
  NON_CANONICAL_NUMBERS,
  OUT_OF_RANGE_NUMBERS,
  RAW_BODIES,
} from './malformed.js';
import { HTTP_METHODS, type Operation, type Parameter } from './openapi.js';
import { PoolRef, PreEncoded, Repeat } from './placeholders.js';
import type { SchemaArbitraries } from './schema-arbitrary.js';

/** Who sends the request: a signed-in user of a role, nobody, or a token the API must refuse. */
export const CALLERS = ['anonymous', 'customer', 'otherCustomer', 'staff', 'admin'] as const;
export const FORGED_TOKENS = ['garbage', 'wrong-secret', 'alg-none', 'expired', 'unknown-role', 'basic-scheme', 'empty-bearer'] as const;
export type Caller = (typeof CALLERS)[number] | `forged:${(typeof FORGED_TOKENS)[number]}`;

export interface BodySpec {
  /** json: a value serialised by World (placeholders included); text / bytes: sent as they are. */
  kind: 'json' | 'text' | 'bytes';
  value: unknown;
  /** undefined: no Content-Type header at all. */
  contentType: string | undefined;
}

/** One generated request, before World turns pool references into ids. */
export interface FuzzCase {
  /** "METHOD /template": an operation of the document, or a method the path does not declare. */
  operation: string;
  as: Caller;
  path: Record<string, unknown>;
  query: Array<[string, unknown]>;
  headers: Array<[string, unknown]>;
  body: BodySpec | null;
}

/** An existing row's id written loosely: the contract says these are 400s, never the row. */
export class LooseId {
  constructor(
    readonly ref: PoolRef,
    readonly style: 'hex' | 'exponent' | 'plus' | 'space' | 'decimal' | 'fullwidth' | 'nul',
  ) {}

  format(id: number): string {
    switch (this.style) {
      case 'hex':
        return `0x${id.toString(16)}`;
      case 'exponent':
        return `${id}e0`;
      case 'plus':
        return `+${id}`;
      case 'space':
        return ` ${id}`;
      case 'decimal':
        return `${id}.0`;
      case 'fullwidth':
        return String(id).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      case 'nul':
        return `${id}\u0000`;
    }
  }

  [fc.toStringMethod](): string {
    return `${this.style}(${this.ref[fc.toStringMethod]()})`;
  }
}

const LOOSE_STYLES = ['hex', 'exponent', 'plus', 'space', 'decimal', 'fullwidth', 'nul'] as const;
const MALFORMED_ESCAPES = ['%', '%zz', '%00', '%C0', '%C0%AF', '%ff', '%2F', '%20', '16%00', '%E2%80%AE16'];
const INT32_MAX = 2_147_483_647;

export interface CaseContext {
  schemas: SchemaArbitraries;
  /** The pool an operation's path parameter takes existing rows from. */
  poolFor(operation: Operation): string;
}

const callers: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('anonymous' as const) },
  { weight: 3, arbitrary: fc.constant('customer' as const) },
  { weight: 1, arbitrary: fc.constant('otherCustomer' as const) },
  { weight: 3, arbitrary: fc.constant('staff' as const) },
  { weight: 2, arbitrary: fc.constant('admin' as const) },
  { weight: 1, arbitrary: fc.constantFrom(...FORGED_TOKENS).map((name) => `forged:${name}` as const) },
);

function pathValue(pool: string): fc.Arbitrary<unknown> {
  const existing = fc.nat({ max: 1000 }).map((pick) => new PoolRef(pool, pick));
  return fc.oneof(
    { weight: 8, arbitrary: existing },
    { weight: 2, arbitrary: fc.integer({ min: 1_000_000, max: INT32_MAX }).map(String) },
    { weight: 2, arbitrary: fc.tuple(existing, fc.constantFrom(...LOOSE_STYLES)).map(([ref, style]) => new LooseId(ref, style)) },
    { weight: 1, arbitrary: fc.constantFrom(...OUT_OF_RANGE_NUMBERS) },
    { weight: 1, arbitrary: fc.constantFrom(...NON_CANONICAL_NUMBERS.filter(Boolean)) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter(Boolean)) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_ESCAPES).map((text) => new PreEncoded(text)) },
  );
}

/** A value for a query parameter the schema does not allow, or that the contract says is a 400. */
function badQueryValue(parameter: Parameter, schemas: SchemaArbitraries): fc.Arbitrary<unknown> {
  const schema = parameter.schema ?? { type: 'string' };
  const numeric = schema.type === 'number' || schema.type === 'integer';
  return fc.oneof(
    { weight: 2, arbitrary: schemas.edges(schema) },
    { weight: numeric ? 2 : 1, arbitrary: fc.constantFrom(...NON_CANONICAL_NUMBERS) },
    { weight: numeric ? 2 : 1, arbitrary: fc.constantFrom(...OUT_OF_RANGE_NUMBERS) },
    { weight: numeric ? 1 : 3, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_ESCAPES).map((text) => new PreEncoded(text)) },
  );
}

/**
 * Some declared parameters with valid values, then (mostly) one of them made bad: one bad value
 * at a time gets past the validation of the others to where it can do harm. Now and then a
 * name twice, with brackets, or one nobody declared.
 */
function query(parameters: Parameter[], schemas: SchemaArbitraries): fc.Arbitrary<Array<[string, unknown]>> {
  const declared = parameters.filter((p) => p.in === 'query');
  if (declared.length === 0) return fc.constant([]);
  const valid = fc.subarray(declared.map((p) => fc.tuple(fc.constant(p.name), schemas.valid(p.schema ?? {}, p.name)))).chain((arbs) => fc.tuple(...arbs));
  const bad = fc.constantFrom(...declared).chain((p) => fc.tuple(fc.constant(p.name), badQueryValue(p, schemas)));
  const odd: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc
      .constantFrom(...declared.map((p) => p.name))
      .chain((name) => fc.tuple(fc.constantFrom(name, `${name}[]`, `${name}[a]`), fc.constantFrom<unknown>('1', '2', ''))),
    fc.tuple(fc.constantFrom('unknown', '__proto__', 'constructor[prototype][x]', '\u0000', 'a'.repeat(300)), fc.constantFrom<unknown>('1', '')),
  );
  const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  return fc.tuple(valid, fc.option(bad, { freq: 3, nil: undefined }), rarely(odd)).map(([pairs, override, extra]) => {
    const query: Array<[string, unknown]> = override ? [...pairs.filter(([name]) => name !== override[0]), override] : pairs;
    return extra ? [...query, extra] : query;
  });
}

const IDEMPOTENCY_KEYS = ['fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3'];
const ENTITY_TAGS = ['*', '"1-1"', 'W/"1-1"', '"', '""', '"abc', ',,,', '"1-1", W/"2-2", *', '"99999999999-1"', '"1-99999999999999999999"', '"0-0"', 'null'];

/** Declared header parameters (Idempotency-Key, If-Match, If-None-Match), plus a few stray ones. */
function headers(parameters: Parameter[]): fc.Arbitrary<Array<[string, unknown]>> {
  const declared = parameters
    .filter((p) => p.in === 'header')
    .map((p) => {
      const name = p.name.toLowerCase();
      const good =
        name === 'idempotency-key'
          ? fc.oneof(fc.constantFrom(...IDEMPOTENCY_KEYS), fc.uuid(), fc.constantFrom(new Repeat('k', 255)))
          : fc.oneof(
              fc.nat({ max: 1000 }).map((pick) => new PoolRef('etags', pick)),
              fc.constantFrom(...ENTITY_TAGS),
            );
      const bad = fc.oneof(hostileString, fc.constantFrom(new Repeat('k', 256), new Repeat('"', 8000)));
      const value: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: bad });
      return fc.option(fc.tuple(fc.constant(p.name), value), { freq: 2 });
    });
  const stray: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.tuple(fc.constant('X-Request-Id'), fc.oneof(fc.constantFrom<unknown>('fuzz-req.1', new Repeat('a', 129), new Repeat('a', 20_000)), hostileString)),
    fc.tuple(
      fc.constantFrom('Idempotency-Key', 'If-Match', 'If-None-Match'),
      fc.constantFrom<unknown>(...IDEMPOTENCY_KEYS, ...ENTITY_TAGS, ...HOSTILE_STRINGS),
    ),
    fc.tuple(fc.constant('Accept'), fc.constantFrom<unknown>('application/xml', 'text/html', '*/*', 'application/problem+json', '')),
  );
  return fc
    .tuple(fc.tuple(...declared), fc.array(stray, { maxLength: 2 }), fc.nat({ max: 3 }))
    .map(([own, extra, dice]) => [...(own as Array<[string, unknown] | null>).filter((h) => h !== null), ...(dice === 0 ? extra : [])]);
}

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string | undefined>('application/json') },
  { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
);

function body(operation: Operation, schemas: SchemaArbitraries): fc.Arbitrary<BodySpec | null> {
  const raw = fc.oneof(
    fc.record({ kind: fc.constant('text' as const), value: fc.constantFrom<unknown>(...RAW_BODIES), contentType }),
    fc.record({ kind: fc.constant('bytes' as const), value: fc.constantFrom<unknown>(...INVALID_UTF8_BODIES), contentType }),
  );
  if (!operation.body) {
    // Bodies where none is expected: mostly none, sometimes a stray one.
    const stray = fc.record({ kind: fc.constant('json' as const), value: hostileValue, contentType });
    return fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: stray }, { weight: 1, arbitrary: raw });
  }
  const valid = schemas.valid(operation.body);
  const json = (value: fc.Arbitrary<unknown>) => fc.record({ kind: fc.constant('json' as const), value, contentType });
  return fc.oneof(
    { weight: 6, arbitrary: json(valid) },
    { weight: 2, arbitrary: json(schemas.boundary(operation.body)) },
    { weight: 5, arbitrary: json(fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([value, mutations]) => mutate(value, mutations))) },
    { weight: 1, arbitrary: raw },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/** Requests for one operation of the document. */
export function operationCases(operation: Operation, ctx: CaseContext): fc.Arbitrary<FuzzCase> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const path = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(ctx.poolFor(operation))])));
  return fc.record({
    operation: fc.constant(operation.key),
    as: callers,
    path,
    query: query(operation.parameters, ctx.schemas),
    headers: headers(operation.parameters),
    body: body(operation, ctx.schemas),
  });
}

/** Requests with a method the path does not declare (the contract wants 405 with Allow). */
export function undeclaredMethodCases(operations: Operation[], ctx: CaseContext): fc.Arbitrary<FuzzCase> | undefined {
  const byPath = new Map(operations.map((op) => [op.path, op]));
  // /v1/users/me is also /v1/users/{id}: a method declared on any template the path matches is not undeclared.
  const matches = (template: string, path: string) => new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`).test(path);
  const declaredFor = (method: string, path: string) => operations.some((op) => op.method === method && matches(op.path, path));
  const pairs = [...byPath.values()].flatMap((op) => HTTP_METHODS.filter((m) => !declaredFor(m, op.path)).map((method) => ({ method, op })));
  if (pairs.length === 0) return undefined;
  const emptyObject: BodySpec = { kind: 'json', value: {}, contentType: 'application/json' };
  return fc.constantFrom(...pairs).chain(({ method, op }) => {
    const existing = fc.nat({ max: 1000 }).map((pick) => new PoolRef(ctx.poolFor(op), pick));
    return fc.record({
      operation: fc.constant(`${method} ${op.path}`),
      as: callers,
      path: fc.record(Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, existing]))),
      query: fc.constant([]),
      headers: fc.constant([]),
      body: fc.constantFrom(emptyObject, null),
    });
  });
}

/** Each operation as often as it has inputs (parameters, body fields), and now and then a method the path does not have. */
export function fuzzCases(operations: Operation[], ctx: CaseContext): fc.Arbitrary<FuzzCase> {
  const inputs = (op: Operation) => op.parameters.length + Object.keys(op.body?.properties ?? {}).length;
  const perOperation = operations.map((op) => ({ weight: 3 + inputs(op), arbitrary: operationCases(op, ctx) }));
  const undeclared = undeclaredMethodCases(operations, ctx);
  return fc.oneof(...perOperation, ...(undeclared ? [{ weight: 4, arbitrary: undeclared }] : []));
}
