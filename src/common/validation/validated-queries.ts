/** How many validated query strings are kept per query DTO class. */
export const VALIDATED_QUERIES_PER_CLASS = 1000;
/** Longer query strings are validated every time: the memory kept stays under ~0.5 MB per class. */
export const LONGEST_REMEMBERED_QUERY = 512;

/**
 * Query DTOs already validated, per DTO class and query string: a list's query DTO is a pure
 * function of its query string (its transforms and rules read nothing else), and list traffic
 * repeats a few query strings (a catalogue's first pages, its categories). The DTOs kept are
 * frozen, since every request with that query string gets the same object. First in, first out
 * once a class holds VALIDATED_QUERIES_PER_CLASS; a refused query is never kept.
 */
export class ValidatedQueries {
  private readonly byClass = new WeakMap<object, Map<string, object>>();

  constructor(private readonly perClass = VALIDATED_QUERIES_PER_CLASS) {}

  /** The key of a parsed query string (undefined: not to be kept). */
  key(query: unknown): string | undefined {
    const text = JSON.stringify(query ?? {});
    return text.length <= LONGEST_REMEMBERED_QUERY ? text : undefined;
  }

  get(dtoClass: object, key: string): object | undefined {
    return this.byClass.get(dtoClass)?.get(key);
  }

  /** Keeps `dto` (frozen) for later requests with the same query string, and answers it. */
  remember<T extends object>(dtoClass: object, key: string, dto: T): Readonly<T> {
    let kept = this.byClass.get(dtoClass);
    if (!kept) this.byClass.set(dtoClass, (kept = new Map()));
    if (!kept.has(key) && kept.size >= this.perClass) kept.delete(kept.keys().next().value!); // two requests may have validated the same query at once
    kept.set(key, Object.freeze(dto));
    return dto;
  }
}
