/**
 * JSON that is already text — a representation PostgreSQL rendered (`to_json`, see shownFields in
 * products.repository.ts), or a page built around one — answered as it is: no row objects in Node, nothing parsed to be serialised
 * again. `T` is the shape the text holds (type only). The representation hook sends it
 * (representation.ts).
 */
export class JsonText<T = unknown> {
  declare readonly shape?: T;

  constructor(readonly text: string) {}

  /** A value's JSON (rows already in their answer's shape). */
  static of<T>(value: T): JsonText<T> {
    return new JsonText<T>(JSON.stringify(value));
  }
}

/** Fastify's serializer for a reply whose body is JsonText. */
export const jsonTextSerializer = (payload: JsonText): string => payload.text;
