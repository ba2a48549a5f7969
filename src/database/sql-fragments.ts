import { sql } from 'kysely';

/**
 * Timestamps are stored as UTC in `timestamp(3)` columns (Prisma's convention). Hand-written SQL
 * writes them with this expression and reads them back through the UTC type parsers of
 * utc-timestamps.ts (or AT TIME ZONE 'UTC'), so the session's TimeZone setting never matters.
 */
export const NOW_UTC = sql<Date>`(now() AT TIME ZONE 'UTC')`;
