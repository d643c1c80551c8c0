import { sql } from '../db.ts';

/**
 * The `where` condition for the user a `{idOrUsername}` path segment names (validated by `IdOrUsernameParams`): a
 * UUID is an id, since no username has a hyphen; anything else is a username.
 *
 * @example
 * await sql`select id from users where ${userNamedBy(params.idOrUsername)}`;
 */
export function userNamedBy(idOrUsername: string) {
  return /^[0-9a-f]{8}-/i.test(idOrUsername) ? sql`id = ${idOrUsername}` : sql`username = ${idOrUsername}`;
}
