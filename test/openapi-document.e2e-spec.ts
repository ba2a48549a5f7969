import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const COMMITTED = join(import.meta.dirname, '..', 'openapi', 'v1.json');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** JSON pointers where two documents differ (the first `limit`), to say what is stale. */
function differences(a: unknown, b: unknown, path = '', found: string[] = [], limit = 15): string[] {
  if (found.length >= limit) return found;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (a !== b) found.push(path || '/');
    return found;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    differences((a as Json)[key], (b as Json)[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found, limit);
  }
  return found;
}

function operations(doc: Json): Array<{ id: string; path: string; method: string; op: Json }> {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ id: `${method.toUpperCase()} ${path}`, path, method, op: item[method] })),
  );
}

describe('The OpenAPI document (/openapi.json and openapi/v1.json)', () => {
  let t: TestApp;
  let doc: Json;
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/openapi.json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('is the committed openapi/v1.json (else: run `npm run openapi` and commit it)', () => {
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const stale = differences(committed, doc);
    if (stale.length > 0) {
      throw new Error(`openapi/v1.json is stale: run \`npm run openapi\` and commit openapi/v1.json. It differs at:\n  ${stale.join('\n  ')}`);
    }
  });

  it('declares every error as application/problem+json with an example per problem type of its status', () => {
    for (const { id, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses as Json)) {
        if (!/^[45]\d\d$|^default$/.test(status)) continue;
        expect([id, status, Object.keys(response.content ?? {})]).toEqual([id, status, ['application/problem+json']]);
        const media = response.content['application/problem+json'];
        expect(media.schema).toEqual({ $ref: '#/components/schemas/ProblemDocument' });
        for (const example of Object.values(media.examples as Json)) {
          const value = doc.components.examples[(example.$ref as string).split('/').pop()!].value;
          if (status !== 'default') expect([id, value.status]).toEqual([id, Number(status)]);
          expect(doc.components.schemas.ProblemDocument.properties.type.enum).toContain(value.type);
        }
      }
    }
  });

  it('describes every response, and gives every operation a description and declared tags', () => {
    const tags = (doc.tags as Json[]).map((tag) => tag.name);
    for (const { id, op } of operations(doc)) {
      expect([id, op.description]).toEqual([id, expect.stringMatching(/\S/)]);
      for (const tag of op.tags) expect(tags).toContain(tag);
      for (const [status, response] of Object.entries(op.responses as Json))
        expect([id, status, response.description]).toEqual([id, status, expect.stringMatching(/\S/)]);
    }
  });

  it('types ids and counts as integers, path ids with a minimum and an example', () => {
    for (const { id, op } of operations(doc)) {
      for (const param of op.parameters.filter((p: Json) => p.in === 'path')) {
        expect([id, param.schema]).toEqual([id, { type: 'integer', minimum: 1, maximum: 2147483647, example: 1 }]);
      }
    }
    const schemas = doc.components.schemas;
    for (const [schema, field] of [
      ['ProductDto', 'id'],
      ['OrderDto', 'id'],
      ['OrderDto', 'userId'],
      ['OrderItemDto', 'quantity'],
      ['OrderLineDto', 'productId'],
      ['UserDto', 'id'],
      ['ProductPage', 'count'],
      ['ProblemDocument', 'status'],
    ]) {
      expect([schema, field, schemas[schema].properties[field].type]).toEqual([schema, field, 'integer']);
    }
    const list = doc.paths['/v1/orders'].get.parameters;
    for (const name of ['page', 'pageSize', 'userId']) expect(list.find((p: Json) => p.name === name).schema.type).toBe('integer');
  });

  it('types timestamps as date-time, tokenType as the literal Bearer, and nullable fields as their type or null', () => {
    const schemas = doc.components.schemas;
    for (const schema of ['UserDto', 'OrderDto', 'ProductDto', 'CategoryDto']) {
      for (const field of ['createdAt', 'updatedAt']) expect([schema, schemas[schema].properties[field].format]).toEqual([schema, 'date-time']);
    }
    expect(schemas.TokenPairDto.properties.tokenType).toEqual(expect.objectContaining({ type: 'string', enum: ['Bearer'] }));
    expect(schemas.CreateOrderDto.properties.note).toEqual(expect.objectContaining({ type: 'string', nullable: true, example: 'Please ring twice' }));
    expect(schemas.OrderHistoryEntryDto.properties.fromStatus).toEqual(
      expect.objectContaining({ type: 'string', nullable: true, enum: ['pending', 'paid', 'shipped', 'delivered', 'cancelled', null] }),
    );
  });

  it('lets public routes be called without a token, and requires one elsewhere', () => {
    const security = Object.fromEntries(operations(doc).map(({ id, op }) => [id, op.security]));
    for (const id of ['GET /v1/products', 'GET /v1/products/{id}', 'GET /v1/categories', 'GET /v1/categories/{id}'])
      expect([id, security[id]]).toEqual([id, [{}, { bearer: [] }]]);
    for (const id of ['POST /v1/auth/login', 'POST /v1/auth/register', 'GET /health/ready']) expect([id, security[id]]).toEqual([id, []]);
    for (const id of ['POST /v1/orders', 'GET /v1/users/me', 'POST /v1/products']) expect([id, security[id]]).toEqual([id, [{ bearer: [] }]]);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.info.license.name).toMatch(/\S/);
  });

  it('documents the headers clients rely on: Retry-After, ETag, Location', () => {
    expect(doc.paths['/v1/auth/login'].post.responses['429'].headers['Retry-After'].required).toBe(true);
    expect(doc.paths['/v1/auth/login'].post.responses['503'].headers['Retry-After'].required).toBe(true);
    expect(doc.paths['/v1/products/{id}'].get.responses['200'].headers.ETag.required).toBe(true);
    expect(doc.paths['/v1/products'].post.responses['201'].headers).toEqual(
      expect.objectContaining({ ETag: expect.objectContaining({ required: true }), Location: expect.objectContaining({ required: true }) }),
    );
    expect(doc.paths['/v1/orders'].post.responses['201'].headers.Location.required).toBe(true);
  });

  it('names the page schemas and lists the ordering fields of every list', () => {
    const pages = { '/v1/products': 'ProductPage', '/v1/categories': 'CategoryPage', '/v1/orders': 'OrderPage', '/v1/users': 'UserPage' };
    for (const [path, page] of Object.entries(pages)) {
      const get = doc.paths[path].get;
      expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${page}` });
      const ordering = get.parameters.find((p: Json) => p.name === 'ordering');
      expect([path, ordering.description]).toEqual([path, expect.stringContaining('Comma-separated fields out of: id')]);
      expect(new RegExp(ordering.schema.pattern).test('-id, id')).toBe(true);
      expect(new RegExp(ordering.schema.pattern).test('bogus')).toBe(false);
    }
  });
});
