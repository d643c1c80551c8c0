import { randomBytes } from 'node:crypto';
import { insertUser, replacePassword, setRole } from '#lib/auth/account-rows.ts';
import { hashPassword } from '#lib/auth/password.ts';
import type { Role } from '#lib/auth/principal.ts';
import type { SqlOrTransaction } from '#lib/db.ts';
import { USERNAME_PATTERN } from '#lib/users/schemas.ts';

// This module runs outside Lambda (scripts/create-admin.ts) with only DATABASE_URL set: it must not import the
// configuration or the shared database client, so both come in as arguments and its SQL is lib/auth/account-rows.ts.

export interface AdminBootstrap {
  email: string;
  username?: string;
  password?: string;
  bcryptCost: number;
}

export type AdminBootstrapResult =
  | { action: 'created'; userId: string; username: string; generatedPassword?: string }
  | { action: 'promoted'; userId: string; username: string; previousRole: Role; passwordChanged: boolean }
  | { action: 'unchanged'; userId: string; username: string; passwordChanged: boolean };

/** `Ada.Lovelace+x@example.com` → `ada_lovelace_x`, padded or cut to fit the username rule. */
export function usernameFromEmail(email: string) {
  const local = (email.split('@')[0] ?? '').toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return local.padEnd(3, '_').slice(0, 30);
}

/**
 * Makes the account with this email an admin: creates it when missing (with a generated password unless one is
 * given), promotes it otherwise. A given password replaces an existing one and signs out every session.
 *
 * @example
 * const result = await createOrPromoteAdmin(sql, { email: 'ops@example.com', bcryptCost: 11 });
 */
export async function createOrPromoteAdmin(
  db: SqlOrTransaction,
  request: AdminBootstrap,
): Promise<AdminBootstrapResult> {
  const email = request.email.trim().toLowerCase();
  const passwordHash = request.password
    ? await hashPassword(request.password, request.bcryptCost)
    : undefined;
  const [existing] = await db<{ id: string; username: string; role: Role }[]>`
    select id, username, role from users where email = ${email}
  `;
  if (existing) {
    const passwordChanged = passwordHash !== undefined;
    if (existing.role !== 'admin') await setRole(db, existing.id, 'admin');
    if (passwordChanged) await replacePassword(db, existing.id, passwordHash);
    const base = { userId: existing.id, username: existing.username, passwordChanged };
    return existing.role === 'admin'
      ? { action: 'unchanged', ...base }
      : { action: 'promoted', previousRole: existing.role, ...base };
  }

  const username = request.username ?? usernameFromEmail(email);
  if (!USERNAME_PATTERN.test(username))
    throw new RangeError(`The username "${username}" is not 3–30 of a-z, 0-9, _`);
  const generatedPassword = request.password ? undefined : randomBytes(18).toString('base64url');
  const newHash = passwordHash ?? (await hashPassword(generatedPassword as string, request.bcryptCost));
  const created = await insertUser(db, {
    email,
    username,
    displayName: username,
    role: 'admin',
    passwordHash: newHash,
  });
  return {
    action: 'created',
    userId: created.id,
    username,
    ...(generatedPassword ? { generatedPassword } : {}),
  };
}
