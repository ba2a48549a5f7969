/**
 * JSON that is already text — a representation PostgreSQL rendered (`to_json`, see shownFields in
 * products.repository.ts) — answered as it is: no row object in Node, nothing parsed to be
 * serialised again. `T` is the shape the text holds (type only). The representation hook sends it
 * (representation.ts).
 */
export class JsonText<T = unknown> {
  declare readonly shape?: T;

  /** `id`: the id of what the text shows, for the Location of a 201 (representation.ts). */
  constructor(
    readonly text: string,
    readonly id?: number,
  ) {}
}

/** Fastify's serializer for a reply whose body is JsonText. */
export const jsonTextSerializer = (payload: JsonText): string => payload.text;
