/**
 * A statement parameter that may appear several times in one statement and is sent once (one
 * `$n`, as hand-written SQL would reuse it): either a value, or a prepared statement's placeholder
 * (`key` names the run's parameter). kysely.ts's compiler numbers each Parameter once.
 */
export class Parameter {
  private constructor(
    readonly value: unknown,
    readonly key?: string,
  ) {}

  static placeholder(key: string): Parameter {
    return new Parameter(undefined, key);
  }

  static of(value: unknown): Parameter {
    return new Parameter(value);
  }
}

/** `value` as one parameter however often the query uses it (typed as the value, for the query builder); a placeholder stays itself. */
export const shared = <T>(value: T): T => (value instanceof Parameter ? value : (Parameter.of(value) as T));
