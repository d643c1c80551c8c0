import { sql } from '../db.ts';
import { Unauthorized } from '../errors.ts';
import type { Principal, Role } from './principal.ts';

/**
 * The caller as the database has them now. An access token carries the role of its sign-in for up to 15 minutes, so
 * write routes confirm it with one primary-key lookup: a demoted user loses the old role's writes at once, a deleted
 * account all of them. Any later account state that must stop writes (a suspension) is read by the same query.
 *
 * @example
 * const caller = await confirmCaller(await verifyAccessToken(token));
 */
export async function confirmCaller(principal: Principal): Promise<Principal> {
  const [account] = await sql<{ role: Role }[]>`select role from users where id = ${principal.userId}`;
  if (!account) throw new Unauthorized('This account no longer exists');
  return { userId: principal.userId, role: account.role };
}
