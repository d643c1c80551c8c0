import type { SqlOrTransaction } from '../db.ts';
import type { UserRow } from '../users/profile.ts';
import type { Role } from './principal.ts';

// Each function takes the handle first and this module imports neither the configuration nor the shared client,
// so npm run create-admin (tools/admin-bootstrap.ts) runs the same SQL with only DATABASE_URL set.

/** The columns of {@link UserRow} as a fragment of the handle that runs the query: `returning ${userColumnsOf(db)}`. */
export const userColumnsOf = (db: SqlOrTransaction) =>
  db`id, email, username, display_name, bio, role, created_at`;

/**
 * Inserts an account. A taken email or username fails on its unique constraint.
 *
 * @example
 * const row = await insertUser(tx, { email, username, displayName: username, role: 'viewer', passwordHash });
 */
export async function insertUser(
  db: SqlOrTransaction,
  user: { email: string; username: string; displayName: string; role: Role; passwordHash: string },
) {
  const [row] = await db<UserRow[]>`
    insert into users (email, username, display_name, role, password_hash)
    values (${user.email}, ${user.username}, ${user.displayName}, ${user.role}, ${user.passwordHash})
    returning ${userColumnsOf(db)}
  `;
  return row as UserRow;
}

/**
 * Gives an account another role; undefined when there is no such account.
 *
 * @example
 * const row = await setRole(sql, userId, 'admin');
 */
export async function setRole(db: SqlOrTransaction, userId: string, role: Role) {
  const [row] = await db<UserRow[]>`
    update users set role = ${role}, updated_at = now()
    where id = ${userId}
    returning ${userColumnsOf(db)}
  `;
  return row;
}

/**
 * Replaces an account's password hash and ends every session of the account, so a leaked token dies with the old
 * password.
 *
 * @example
 * await replacePassword(tx, userId, await hashPassword(newPassword, config.bcryptCost));
 */
export async function replacePassword(db: SqlOrTransaction, userId: string, passwordHash: string) {
  await db`update users set password_hash = ${passwordHash}, updated_at = now() where id = ${userId}`;
  await db`update refresh_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null`;
}
