import fc from 'fast-check';

/**
 * Values that stand for something only known when the request is sent: a row of a pool
 * (ids of rows created so far, refresh tokens, e-mails) or a long string. Generated cases
 * stay small and readable in fast-check's counterexample; `World.resolve` materialises them.
 */

/** The `pick`-th entry (modulo its size) of a pool the world keeps, e.g. products or refreshTokens. */
export class PoolRef {
  constructor(
    readonly pool: string,
    readonly pick: number,
  ) {}

  [fc.toStringMethod](): string {
    return `${this.pool}[${this.pick}]`;
  }
}

/** `text` repeated up to `length` characters (code units). */
export class Repeat {
  constructor(
    readonly text: string,
    readonly length: number,
  ) {}

  materialise(): string {
    return this.text.repeat(Math.ceil(this.length / this.text.length)).slice(0, this.length);
  }

  [fc.toStringMethod](): string {
    return `${JSON.stringify(this.text)}×${this.length}`;
  }
}

/** A value that is written into the body as this exact JSON text (what no JavaScript value serialises to). */
export interface JsonText {
  jsonText(): string;
}

/** A JSON number or literal as text, e.g. 1e999 or 123456789012345678901234567890. */
export class RawJson implements JsonText {
  constructor(readonly text: string) {}

  jsonText(): string {
    return this.text;
  }

  [fc.toStringMethod](): string {
    return `json(${this.text})`;
  }
}

/** A JSON text nested `depth` levels deep (arrays or objects), written as text: no recursion to build or send it. */
export class Nested implements JsonText {
  constructor(
    readonly depth: number,
    readonly shape: 'array' | 'object',
  ) {}

  jsonText(): string {
    return this.shape === 'array' ? '['.repeat(this.depth) + ']'.repeat(this.depth) : '{"a":'.repeat(this.depth) + '{}' + '}'.repeat(this.depth);
  }

  [fc.toStringMethod](): string {
    return `<${this.shape}s nested ${this.depth} deep>`;
  }
}

export const isJsonText = (value: unknown): value is JsonText => typeof (value as JsonText | null)?.jsonText === 'function';

/** Text already percent-encoded for a URL, sent as is (malformed escapes such as `%` or `%C0` included). */
export class PreEncoded {
  constructor(readonly text: string) {}

  [fc.toStringMethod](): string {
    return `raw(${this.text})`;
  }
}
