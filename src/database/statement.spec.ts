import { sql } from 'kysely';
import { kysely } from './kysely.js';
import { shared } from './parameter.js';
import { precompiled, precompiledOnce, prepared, statement } from './statement.js';
import { UTC_TIMESTAMPS_AS_DATES, UTC_TIMESTAMPS_AS_ISO } from './utc-timestamps.js';

describe('prepared', () => {
  const byId = prepared('product-by-id', (p: { id: number; sku: string }) =>
    kysely
      .selectFrom('Product')
      .select(['id', 'sku'])
      .where('id', '=', p.id)
      .where('active', '=', true)
      .where((eb) => eb.or([eb('sku', '=', p.sku), eb('name', '=', p.sku)])),
  );

  it('compiles once and puts each run’s values in the placeholders’ places, one parameter per placeholder', () => {
    const first = byId({ id: 7, sku: 'A-1' });
    const second = byId({ id: 8, sku: 'B-2' });
    expect(first.text).toBe('select "id", "sku" from "Product" where "id" = $1 and "active" = $2 and ("sku" = $3 or "name" = $3)');
    expect(second.text).toBe(first.text);
    expect(first).toMatchObject({ name: 'product-by-id', values: [7, true, 'A-1'] });
    expect(second.values).toEqual([8, true, 'B-2']);
  });

  it('reads timestamps as UTC Dates unless asked for ISO strings', () => {
    expect(byId({ id: 1, sku: '' }).types).toBe(UTC_TIMESTAMPS_AS_DATES);
    const iso = precompiled((p: { id: number }) => kysely.selectFrom('Product').select('createdAt').where('id', '=', p.id), { timestamps: 'iso' });
    expect(iso({ id: 1 })).toMatchObject({ name: undefined, types: UTC_TIMESTAMPS_AS_ISO });
  });
});

describe('statement', () => {
  it('sends a shared value once however often the query uses it', () => {
    const term = shared('ze');
    const compiled = statement(sql<{ n: number }>`SELECT ${term}::text AS a, ${term}::text AS b, ${'other'} AS c`);
    expect(compiled).toMatchObject({ text: 'SELECT $1::text AS a, $1::text AS b, $2 AS c', values: ['ze', 'other'] });
  });

  it('numbers shared values afresh in every statement', () => {
    const first = statement(sql`SELECT ${shared(1)}`);
    const second = statement(sql`SELECT ${'x'}, ${shared(2)}`);
    expect(first.text).toBe('SELECT $1');
    expect(second).toMatchObject({ text: 'SELECT $1, $2', values: ['x', 2] });
  });
});

describe('precompiledOnce', () => {
  const byShape = (shape: string, built: string[]) =>
    precompiledOnce(shape, (p: { term: string; limit: number }) => {
      built.push(shape);
      const term = shared(p.term);
      return kysely
        .selectFrom('Product')
        .select('id')
        .where(sql<boolean>`strpos("name", ${term}) > 0 OR strpos("sku", ${term}) > 0`)
        .limit(p.limit);
    });

  it('builds a shape once, unnamed, and puts each run’s values in its placeholders (a shared placeholder stays one parameter)', () => {
    const built: string[] = [];
    const first = byShape('spec-shape-a', built)({ term: 'ze', limit: 3 });
    const second = byShape('spec-shape-a', built)({ term: 'ab', limit: 5 });
    expect(built).toEqual(['spec-shape-a']);
    expect(first).toMatchObject({
      name: undefined,
      text: 'select "id" from "Product" where strpos("name", $1) > 0 OR strpos("sku", $1) > 0 limit $2',
      values: ['ze', 3],
    });
    expect(second).toMatchObject({ text: first.text, values: ['ab', 5] });
  });

  it('builds another shape on its own', () => {
    const built: string[] = [];
    byShape('spec-shape-b', built)({ term: 'x', limit: 1 });
    byShape('spec-shape-c', built)({ term: 'x', limit: 1 });
    expect(built).toEqual(['spec-shape-b', 'spec-shape-c']);
  });
});
