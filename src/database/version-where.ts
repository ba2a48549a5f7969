/**
 * The Prisma WHERE condition of a conditional UPDATE: the versions a write accepts (a Precondition,
 * common/concurrency/row-version.ts), or nothing when it accepts any.
 */
export function versionWhere(condition: 'any' | number[] | undefined): { version?: { in: number[] } } {
  return Array.isArray(condition) ? { version: { in: condition } } : {};
}
