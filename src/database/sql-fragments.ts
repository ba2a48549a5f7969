import { type RawBuilder, sql } from 'kysely';

/**
 * Timestamps are stored as UTC in `timestamp(3)` columns (Prisma's convention). Hand-written SQL
 * writes them with this expression and reads them back through the UTC type parsers of
 * utc-timestamps.ts (or AT TIME ZONE 'UTC'), so the session's TimeZone setting never matters.
 */
export const NOW_UTC = sql<Date>`(now() AT TIME ZONE 'UTC')`;

/** A timestamp(3) column (UTC) as the API's ISO text, as utcTimestampToIso (utc-timestamps.ts) writes it. */
export const isoText = (column: RawBuilder<unknown>) => sql<string | null>`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
