import { userColumnsOf } from '../auth/account-rows.ts';
import type { Role } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { Conflict, NotFound } from '../errors.ts';
import { userNamedBy } from './id-or-username.ts';
import type { ManagedUser, PublicProfile, UpdateProfileRequest, UpdateRoleRequest, User } from './schemas.ts';

/** A `users` row as the own-view `user` needs it (camel-cased by the client). */
export interface UserRow {
  id: string;
  email: string;
  username: string;
  displayName: string;
  bio: string;
  role: Role;
  createdAt: Date;
}

/** The columns of {@link UserRow}, to compose into a query: sql`select ${userColumns} from users …`. */
export const userColumns = userColumnsOf(sql);

/** Shapes a row as the contract's `user`, listing each field so nothing else (a password hash) can leak. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    displayName: row.displayName,
    bio: row.bio,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * The caller's own account.
 *
 * @example
 * const user = await getOwnUser(caller.userId);
 */
export async function getOwnUser(userId: string): Promise<User> {
  const [row] = await sql<UserRow[]>`select ${userColumns} from users where id = ${userId}`;
  if (!row) throw new NotFound('This account no longer exists');
  return toUser(row);
}

/**
 * A user's public profile by id or username; the counts are the columns the subscription and video code keep.
 *
 * @example
 * const profile = await getPublicProfile('alice');
 */
export async function getPublicProfile(idOrUsername: string): Promise<PublicProfile> {
  const [row] = await sql<(Omit<UserRow, 'email'> & { subscriberCount: number; videoCount: number })[]>`
    select id, username, display_name, bio, role, subscriber_count, video_count, created_at
    from users
    where ${userNamedBy(idOrUsername)}
  `;
  if (!row) throw new NotFound('No user with this id or username');
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    bio: row.bio,
    role: row.role,
    subscriberCount: row.subscriberCount,
    videoCount: row.videoCount,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Changes the caller's display name and/or bio; only fields present in the request are written.
 *
 * @example
 * const user = await updateProfile(caller.userId, { bio: 'Films birds.' });
 */
export async function updateProfile(userId: string, changes: UpdateProfileRequest): Promise<User> {
  const columns = (['displayName', 'bio'] as const).filter((column) => changes[column] !== undefined);
  if (columns.length === 0) return getOwnUser(userId);
  const [row] = await sql<UserRow[]>`
    update users set ${sql(changes, columns)}, updated_at = now()
    where id = ${userId}
    returning ${userColumns}
  `;
  if (!row) throw new NotFound('This account no longer exists');
  return toUser(row);
}

/**
 * An admin changes another user's role and their own storage and daily upload quotas (null: back to the configured
 * defaults). An admin cannot change their own account here, so the last admin cannot lock everyone out by accident.
 * Tokens already issued keep the old role until they expire (15 min); the next refresh reads the new one.
 *
 * @example
 * const user = await updateUserAsAdmin(caller.userId, target, { role: 'creator', storageLimitBytes: 10 * 1024 ** 3 });
 */
export async function updateUserAsAdmin(
  adminId: string,
  userId: string,
  changes: UpdateRoleRequest,
): Promise<ManagedUser> {
  if (userId === adminId) throw new Conflict('You cannot change your own role');
  const [row] = await sql<(UserRow & Omit<ManagedUser, keyof User>)[]>`
    update users set
      role = ${changes.role ?? sql`role`},
      storage_limit_bytes = ${changes.storageLimitBytes === undefined ? sql`storage_limit_bytes` : changes.storageLimitBytes},
      daily_upload_limit_bytes = ${changes.dailyUploadLimitBytes === undefined ? sql`daily_upload_limit_bytes` : changes.dailyUploadLimitBytes},
      updated_at = now()
    where id = ${userId}
    returning ${userColumns}, storage_limit_bytes, daily_upload_limit_bytes
  `;
  if (!row) throw new NotFound('No user with this id');
  return {
    ...toUser(row),
    storageLimitBytes: row.storageLimitBytes,
    dailyUploadLimitBytes: row.dailyUploadLimitBytes,
  };
}
