import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module script, typed by use
import { breakingChanges } from '../scripts/openapi-compat.mjs';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const check = breakingChanges as (released: Json, current: Json) => Promise<string[]>;

/** The committed document cut down to two paths: the same rules apply, and openapi-diff takes a second instead of many. */
function released(): Json {
  const doc = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'openapi', 'v1.json'), 'utf8'));
  doc.paths = { '/v1/orders': doc.paths['/v1/orders'], '/v1/products/{id}': doc.paths['/v1/products/{id}'] };
  return doc;
}

const changed = (change: (doc: Json) => void) => {
  const doc = structuredClone(released());
  change(doc);
  return doc;
};

describe('The /v1 compatibility gate (npm run openapi:compat)', () => {
  it('passes additions: a new path and a new optional response field', async () => {
    const next = changed((doc) => {
      doc.paths['/v1/extra'] = structuredClone(doc.paths['/v1/products/{id}']);
      doc.components.schemas.ProductDto.properties.colour = { type: 'string' };
    });
    expect(await check(released(), next)).toEqual([]);
  });

  it.each([
    ['a removed path', 'path.remove', (doc: Json) => delete doc.paths['/v1/orders']],
    ['a removed operation', 'method.remove', (doc: Json) => delete doc.paths['/v1/products/{id}'].delete],
    [
      'a removed response field',
      'response.body.scope',
      (doc: Json) => {
        const product = doc.components.schemas.ProductDto;
        delete product.properties.sku;
        product.required = product.required.filter((name: string) => name !== 'sku');
      },
    ],
    ['a removed enum value', 'enum.value.remove', (doc: Json) => doc.components.schemas.OrderStatus.enum.pop()],
    [
      'a new required request field',
      'request.body.scope.remove',
      (doc: Json) => {
        doc.components.schemas.CreateOrderDto.properties.channel = { type: 'string' };
        doc.components.schemas.CreateOrderDto.required.push('channel');
      },
    ],
    ['a narrowed type', 'request.body.scope.remove', (doc: Json) => (doc.components.schemas.OrderLineDto.properties.quantity.maximum = 10)],
  ])('fails on %s', async (_name, code, change) => {
    const changes = await check(released(), changed(change));
    expect(changes).toEqual(expect.arrayContaining([expect.stringContaining(code)]));
  });
});
