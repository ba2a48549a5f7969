import fc from 'fast-check';
import { type OpenApiDocument, resolveSchema, type Schema } from './openapi.js';
import { PoolRef, Repeat } from './placeholders.js';

/**
 * OpenAPI schema → fast-check arbitraries of values the schema accepts (`valid`) and of values
 * at its edges (`boundary`: every field at its maximum, at its minimum, or each field on or just
 * past one of its bounds). Fields named after a pool (productId, refreshToken…) mostly take an
 * existing row, so that valid bodies reach the database instead of stopping at a 404.
 */

/** Property name → the pool its valid values mostly come from. */
export type PoolHints = Record<string, string>;

const INT32_MAX = 2_147_483_647;
/** Longest generated free text in valid values; the bounds themselves are the boundary cases' job. */
const TEXT_CAP = 40;

export class SchemaArbitraries {
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly pools: PoolHints,
    /** Property name → more values to draw valid ones from (e.g. well-formed e-mail addresses). */
    private readonly extras: Record<string, fc.Arbitrary<unknown>> = {},
  ) {}

  valid(raw: Schema, name?: string): fc.Arbitrary<unknown> {
    const schema = resolveSchema(this.doc, raw);
    const plain = this.plainValid(schema);
    const fromPool = name && this.pools[name] ? fc.nat({ max: 1000 }).map((pick) => new PoolRef(this.pools[name], pick)) : undefined;
    const known = name ? this.extras[name] : undefined;
    const choices: fc.WeightedArbitrary<unknown>[] = [{ weight: 2, arbitrary: plain }];
    if (fromPool) choices.push({ weight: 6, arbitrary: fromPool });
    if (known) choices.push({ weight: 4, arbitrary: known });
    // The documented example is a valid value, often the only one a free-form string (ordering) can be generated as.
    if (schema.example !== undefined && !fromPool) choices.push({ weight: 2, arbitrary: fc.constant(schema.example) });
    const value = choices.length === 1 ? plain : fc.oneof(...choices);
    return schema.nullable ? fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) }) : value;
  }

  boundary(raw: Schema, name?: string): fc.Arbitrary<unknown> {
    return fc.oneof(this.extreme(raw, 'max', name), this.extreme(raw, 'min', name), this.perField(raw, name));
  }

  private plainValid(schema: Schema): fc.Arbitrary<unknown> {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives) return fc.oneof(...alternatives.map((alt) => this.valid(alt)));
    switch (schema.type) {
      case 'string':
        return this.validString(schema);
      case 'integer':
      case 'number':
        return this.validNumber(schema);
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.valid(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
      case 'object':
      default:
        if (schema.properties) return this.object(schema, (prop, propName) => this.valid(prop, propName));
        if (schema.example !== undefined) return fc.constant(schema.example);
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3, noNullPrototype: true });
    }
  }

  private validString(schema: Schema): fc.Arbitrary<string> {
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? TEXT_CAP, TEXT_CAP));
    if (schema.pattern) {
      return fc.stringMatching(new RegExp(schema.pattern), { maxLength: schema.maxLength ?? TEXT_CAP }).filter((s) => s.length >= minLength);
    }
    return fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength, maxLength }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength }) },
    );
  }

  private validNumber(schema: Schema): fc.Arbitrary<number> {
    const min = schema.minimum ?? 0;
    const max = schema.maximum ?? Math.max(min + 100, 100);
    if (schema.multipleOf) {
      // Whole multiples (cents for money), so the value never has float noise.
      const step = schema.multipleOf;
      const digits = Math.max(0, Math.round(-Math.log10(step)));
      return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((n) => Number((n * step).toFixed(digits)));
    }
    return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) });
  }

  /** Every field at its maximum (`max`) or minimum (`min`): longest strings, largest numbers, fullest arrays. */
  private extreme(raw: Schema, end: 'max' | 'min', name?: string): fc.Arbitrary<unknown> {
    const schema = resolveSchema(this.doc, raw);
    if (name && this.pools[name]) return fc.constant(new PoolRef(this.pools[name], 0));
    if (schema.enum) return fc.constant(end === 'max' ? schema.enum[schema.enum.length - 1] : schema.enum[0]);
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives) return fc.oneof(...alternatives.map((alt) => this.extreme(alt, end)));
    switch (schema.type) {
      case 'string': {
        const length = end === 'max' ? (schema.maxLength ?? 1000) : (schema.minLength ?? 0);
        if (!schema.pattern) return fc.constantFrom(new Repeat('x', length), new Repeat('é', length), new Repeat('😀', length));
        const pattern = new RegExp(schema.pattern);
        const fitting = ['a', 'A', '9'].find((c) => pattern.test(c.repeat(Math.max(length, 1))));
        return fitting ? fc.constant(new Repeat(fitting, Math.max(length, 1))) : this.validString(schema);
      }
      case 'integer':
      case 'number':
        return fc.constant(end === 'max' ? (schema.maximum ?? INT32_MAX) : (schema.minimum ?? 0));
      case 'boolean':
        return fc.constant(end === 'max');
      case 'array': {
        const count = end === 'max' ? (schema.maxItems ?? 100) : (schema.minItems ?? 0);
        // Item i takes pool row i: the fullest array lists as many distinct rows as it may.
        return fc.array(this.extreme(schema.items ?? {}, end), { minLength: count, maxLength: count }).map((items) => items.map(renumberPoolRefs));
      }
      default:
        if (!schema.properties) return this.plainValid(schema);
        return this.object(schema, (prop, propName) => this.extreme(prop, end, propName), end === 'max');
    }
  }

  /** Each field valid, or on or just past one of its bounds. */
  private perField(raw: Schema, name?: string): fc.Arbitrary<unknown> {
    const schema = resolveSchema(this.doc, raw);
    if (schema.type === 'object' && schema.properties) {
      return this.object(schema, (prop, propName) => fc.oneof(this.valid(prop, propName), this.edges(prop)));
    }
    if (schema.type === 'array') {
      return fc.oneof(this.edges(schema), fc.array(this.perField(schema.items ?? {}), { minLength: 1, maxLength: 3 }));
    }
    return fc.oneof(this.valid(schema, name), this.edges(schema));
  }

  /** The values on and around a field's bounds. */
  edges(raw: Schema): fc.Arbitrary<unknown> {
    const schema = resolveSchema(this.doc, raw);
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives) return fc.oneof(...alternatives.map((alt) => this.edges(alt)));
    switch (schema.type) {
      case 'string': {
        const lengths = [schema.minLength ?? 0, Math.max(0, (schema.minLength ?? 0) - 1), schema.maxLength ?? 1000, (schema.maxLength ?? 1000) + 1, 100_000];
        return fc.constantFrom(...lengths.flatMap((n) => [new Repeat('x', n), new Repeat('😀', n)]));
      }
      case 'integer':
      case 'number': {
        const min = schema.minimum ?? 0;
        const max = schema.maximum ?? INT32_MAX;
        const step = schema.multipleOf ?? 1;
        const values = [min, min - step, max, max + step, 0, -1, 0.5, -0, min + step / 10, Number.MIN_VALUE];
        values.push(INT32_MAX, INT32_MAX + 1, -INT32_MAX - 2, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e21, 1e308);
        return fc.constantFrom(...values);
      }
      case 'array': {
        const max = schema.maxItems ?? 100;
        const item = this.valid(schema.items ?? {});
        return fc.oneof(
          fc.constant([]),
          fc.array(item, { minLength: max + 1, maxLength: max + 1 }),
          fc.array(item, { minLength: max, maxLength: max }).map((items) => items.map(renumberPoolRefs)),
        );
      }
      case 'boolean':
        return fc.boolean();
      default:
        return this.plainValid(schema);
    }
  }

  private object(schema: Schema, field: (prop: Schema, name: string) => fc.Arbitrary<unknown>, allKeys = false): fc.Arbitrary<Record<string, unknown>> {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [propName, prop] of Object.entries(schema.properties ?? {})) model[propName] = field(prop, propName);
    return fc.record(model, { requiredKeys: allKeys ? undefined : (schema.required ?? []), noNullPrototype: true }) as fc.Arbitrary<Record<string, unknown>>;
  }
}

/** Item i of a boundary array takes row i of its pool (distinct rows, first ones first). */
function renumberPoolRefs(item: unknown, index: number): unknown {
  if (item instanceof PoolRef) return new PoolRef(item.pool, index);
  if (item && typeof item === 'object' && !Array.isArray(item) && [Object.prototype, null].includes(Object.getPrototypeOf(item))) {
    return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, renumberPoolRefs(v, index)]));
  }
  return item;
}
