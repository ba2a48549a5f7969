import { PasswordService } from '../../src/accounts/password.service.js';
import { Role } from '../../src/auth/role.js';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;
let sequence = 0;

export interface TestUser {
  id: number;
  email: string;
  role: Role;
  token: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** Inserts a user with `role` directly and logs in through the API. */
export async function createUser(t: TestApp, role: Role = 'customer', email?: string): Promise<TestUser> {
  passwordHash ??= new PasswordService().hash(PASSWORD); // the service's own argon2id parameters
  const address = email ?? `${role}-${process.pid}-${++sequence}@example.com`;
  const user = await t.prisma.user.create({
    data: { email: address, name: `Test ${role}`, role, passwordHash: await passwordHash },
  });
  const res = await t.http.post('/v1/auth/login').send({ email: address, password: PASSWORD }).expect(200);
  return {
    id: user.id,
    email: address,
    role,
    token: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}
