import { Transform } from 'class-transformer';

/**
 * Reads a query-string flag: exactly "true" or "false" become booleans; anything else is left
 * as sent, so the property's @IsBoolean() rejects it with a 400.
 */
export const QueryBoolean = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
