export type Role = 'customer' | 'staff' | 'admin';

export const CONSOLE_ROLES: readonly string[] = ['staff', 'admin'];

export const CUSTOMER_REFUSED =
  'This is a customer account. The staff console is for staff and administrators: sign in with a staff account, or ask an administrator to give yours the staff role.';

export const isAdmin = (role: unknown) => role === 'admin';
