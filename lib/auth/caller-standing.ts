import { sql } from '../db.ts';
import { Unauthorized } from '../errors.ts';
import type { Principal, Role } from './principal.ts';

/**
 * The caller as the database has them now. An access token carries the role of its sign-in for up to 15 minutes, so
 * write routes confirm it with one primary-key lookup: a demoted user loses the old role's writes at once, a deleted
 * account all of them, and so does a suspended one.
 *
 * @example
 * const caller = await confirmCaller(await verifyAccessToken(token));
 */
export async function confirmCaller(principal: Principal): Promise<Principal> {
  const [account] = await sql<{ role: Role; suspended: boolean }[]>`
    select role, suspended_at is not null as suspended from users where id = ${principal.userId}
  `;
  if (!account) throw new Unauthorized('This account no longer exists');
  if (account.suspended) throw new Unauthorized('This account is suspended');
  return { userId: principal.userId, role: account.role };
}
