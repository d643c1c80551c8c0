import { type SqlOrTransaction, sql } from '../db.ts';
import { config } from '../environment.ts';
import { Forbidden, Unauthorized } from '../errors.ts';
import { toUser, type UserRow, userColumns } from '../users/profile.ts';
import { issueAccessToken } from './access-token.ts';
import { insertUser, replacePassword } from './account-rows.ts';
import { countLoginAttempt, type LoginAttempt, recordLoginSuccess } from './login-throttle.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import { forgetDeadSessions, issueRefreshToken, rotateRefreshToken } from './refresh-token.ts';
import type { LoginRequest, RegisterRequest, Session, TokenPair } from './schemas.ts';

type UserWithPassword = UserRow & { passwordHash: string; suspendedAt: Date | null };

async function startSession(db: SqlOrTransaction, row: UserRow): Promise<Session> {
  const refreshToken = await issueRefreshToken(db, { userId: row.id });
  const { accessToken, expiresIn } = await issueAccessToken({ userId: row.id, role: row.role });
  return { user: toUser(row), accessToken, refreshToken, expiresIn };
}

/**
 * Creates an account and signs it in. A taken email or username is decided by the unique constraints (409 from
 * the shared error mapping), so two racing registrations cannot both win.
 *
 * @example
 * const session = await register({ email: 'ada@example.com', password, username: 'ada' });
 */
export async function register(request: RegisterRequest): Promise<Session> {
  const passwordHash = await hashPassword(request.password, config.bcryptCost);
  return sql.begin(async (tx) => {
    const row = await insertUser(tx, {
      email: request.email,
      username: request.username,
      displayName: request.displayName ?? request.username,
      role: request.role ?? 'viewer',
      passwordHash,
    });
    return startSession(tx, row);
  });
}

const WRONG_CREDENTIALS = 'The email or password is not correct';

/**
 * Signs a user in. Every attempt counts against the account and the address before bcrypt runs (429 with
 * Retry-After once they back off), and a success gives it back. An unknown email and a wrong password answer the
 * same 401 after the same bcrypt work; a suspended account, only told once its password is right, is a 401 too.
 *
 * @example
 * const session = await login({ email, password }, clientAddress);
 */
export async function login(request: LoginRequest, clientAddress: string): Promise<Session> {
  const attempt: LoginAttempt = { email: request.email, clientAddress };
  await countLoginAttempt(attempt);
  const [user] = await sql<UserWithPassword[]>`
    select ${userColumns}, password_hash, suspended_at from users where email = ${request.email}
  `;
  if (!(await verifyPassword(request.password, user?.passwordHash, config.bcryptCost)) || !user) {
    throw new Unauthorized(WRONG_CREDENTIALS);
  }
  await recordLoginSuccess(attempt, user.id);
  if (user.suspendedAt) throw new Unauthorized('This account is suspended');
  if (needsRehash(user.passwordHash, config.bcryptCost)) await rehash(user, request.password);
  return sql.begin(async (tx) => {
    await forgetDeadSessions(tx, user.id);
    return startSession(tx, user);
  });
}

/** Upgrades a hash made at a lower cost, unless the password changed meanwhile. */
async function rehash(user: UserWithPassword, password: string) {
  const passwordHash = await hashPassword(password, config.bcryptCost);
  await sql`
    update users set password_hash = ${passwordHash}
    where id = ${user.id} and password_hash = ${user.passwordHash}
  `;
}

/**
 * Trades a refresh token for a new access token and its successor refresh token (see rotateRefreshToken). The
 * role comes from the database, so a role change reaches the client at the next refresh.
 *
 * @example
 * const tokens = await refreshSession(presented);
 */
export async function refreshSession(refreshToken: string): Promise<TokenPair> {
  const rotated = await rotateRefreshToken(refreshToken);
  const { accessToken, expiresIn } = await issueAccessToken({ userId: rotated.userId, role: rotated.role });
  return { accessToken, refreshToken: rotated.refreshToken, expiresIn };
}

/**
 * Changes the caller's password after checking the current one, and ends every session of the account.
 * Wrong current passwords count as failed sign-ins, so a stolen access token cannot be used to guess.
 *
 * @example
 * await changePassword(caller.userId, { currentPassword, newPassword }, clientAddress);
 */
export async function changePassword(
  userId: string,
  change: { currentPassword: string; newPassword: string },
  clientAddress: string,
) {
  const [user] = await sql<{ email: string; passwordHash: string }[]>`
    select email, password_hash from users where id = ${userId}
  `;
  if (!user) throw new Unauthorized('This account no longer exists');
  const attempt: LoginAttempt = { email: user.email, clientAddress };
  await countLoginAttempt(attempt);
  if (!(await verifyPassword(change.currentPassword, user.passwordHash, config.bcryptCost))) {
    throw new Forbidden('The current password is not correct');
  }
  await recordLoginSuccess(attempt, userId);
  const passwordHash = await hashPassword(change.newPassword, config.bcryptCost);
  await sql.begin((tx) => replacePassword(tx, userId, passwordHash));
}
