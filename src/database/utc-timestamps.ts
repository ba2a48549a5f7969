import { type CustomTypesConfig, types } from 'pg';

const TIMESTAMP_OID = 1114; // timestamp without time zone

/**
 * `timestamp(3)` text as PostgreSQL sends it ("2026-11-25 10:00:00.12", fraction trimmed), which
 * holds UTC (Prisma's convention), as the API's ISO string ("2026-11-25T10:00:00.120Z").
 */
export function utcTimestampToIso(text: string): string {
  const dot = text.indexOf('.', 19);
  const millis = dot === -1 ? '000' : text.slice(dot + 1, dot + 4).padEnd(3, '0');
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${millis}Z`;
}

const withTimestampParser = (parse: (text: string) => unknown): CustomTypesConfig => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID && format !== 'binary' ? parse : types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
});

/**
 * The default of every hand-written statement: `timestamp(3)` columns read as the UTC instants
 * they hold (pg's own parser would read them in the process's time zone). The generated table
 * types say Date for them, which is then true.
 */
export const UTC_TIMESTAMPS_AS_DATES = withTimestampParser((text) => new Date(utcTimestampToIso(text)));

/**
 * For reads whose timestamps go straight into a response: they arrive as ISO strings, with no
 * Date in between (parsing 60 dates and printing them again was a tenth of the CPU of a page of
 * products). Such a statement's row type is IsoTimestamps<…>.
 */
export const UTC_TIMESTAMPS_AS_ISO = withTimestampParser(utcTimestampToIso);

/** A row read with UTC_TIMESTAMPS_AS_ISO: its timestamps are ISO strings. */
export type IsoTimestamps<Row> = { [K in keyof Row]: IsoTimestamp<Row[K]> };
type IsoTimestamp<Value> = Value extends Date ? string : Value;
