import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { handler as login } from '#functions/auth/login.ts';
import { handler as register } from '#functions/auth/register.ts';
import { callApi } from './lambda.ts';

export interface RegisteredUser {
  id: string;
  email: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** A fresh email/username/password triple that passes the register schema. */
export function newAccount() {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  return { email: `user_${suffix}@example.test`, username: `user_${suffix}`, password: `pw-${suffix}-long` };
}

/**
 * Registers through the real handler (bcrypt at the configured cost, a real refresh-token family).
 *
 * @example
 * const alice = await registerUser({ role: 'creator' });
 */
export async function registerUser(overrides: Record<string, unknown> = {}): Promise<RegisteredUser> {
  const account = { ...newAccount(), ...overrides };
  const response = await callApi<{ user: { id: string }; accessToken: string; refreshToken: string }>(
    register,
    {
      method: 'POST',
      path: '/api/v1/auth/register',
      body: account,
    },
  );
  expect(response.status).toBe(201);
  return {
    ...(account as ReturnType<typeof newAccount>),
    id: response.body.user.id,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
  };
}

/** Calls POST /auth/login. */
export function loginAs(credentials: { email: string; password: string }, sourceIp?: string) {
  return callApi<Record<string, unknown>>(login, {
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { email: credentials.email, password: credentials.password },
    sourceIp,
  });
}
