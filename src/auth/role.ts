import { Role } from '../generated/prisma/enums.js';

export { Role };

/** customer < staff < admin: a role may do everything a lower one may. */
export const ROLE_RANK: Record<Role, number> = { customer: 0, staff: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[required];
}
