import { Role } from './role.js';

/** The caller, as carried by a verified access token (no database read per request). */
export interface AuthenticatedUser {
  id: number;
  email: string;
  role: Role;
}
