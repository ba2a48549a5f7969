import type { AuthenticatedUser } from './authenticated-user.js';
import { hasRole, Role } from './role.js';

// Who may see what, in one place: the guards decide who may call a route (@Endpoint's auth), these
// decide which rows a caller sees once there.

/** Staff (and admins) see every customer's orders and the whole catalogue. */
export const isStaff = (caller: AuthenticatedUser | undefined): boolean => caller !== undefined && hasRole(caller.role, Role.staff);

/** The user whose rows a caller may read: undefined for staff (everybody's), else the caller alone. */
export const ownerScope = (caller: AuthenticatedUser): number | undefined => (isStaff(caller) ? undefined : caller.id);

/** A row owned by `ownerId` exists for the caller: staff, or its owner (to anyone else it is a 404, not a 403). */
export const mayAccess = (caller: AuthenticatedUser, ownerId: number): boolean => isStaff(caller) || caller.id === ownerId;

/** public: active and not archived products; staff: also inactive; staff-all: also archived. */
export type CatalogueView = 'public' | 'staff' | 'staff-all';

/** The products a caller sees: everyone but staff the public catalogue; staff add archived ones when they ask. */
export const catalogueView = (caller: AuthenticatedUser | undefined, includeArchived = false): CatalogueView =>
  !isStaff(caller) ? 'public' : includeArchived ? 'staff-all' : 'staff';
