import { Transform } from 'class-transformer';

/** Trims string input before validation; other types pass through to be rejected by the type rule. */
export const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
