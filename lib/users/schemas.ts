import { z } from 'zod';
import { Role } from '../auth/principal.ts';

export const USERNAME_PATTERN = /^[a-z0-9_]{3,30}$/;

export const Email = z
  .string()
  .max(320)
  .trim()
  .toLowerCase()
  .pipe(z.email('must be an email address').max(254));
export const Username = z.string().regex(USERNAME_PATTERN, 'must be 3–30 of a-z, 0-9 and _');
export const DisplayName = z.string().trim().min(1).max(60);
export const Bio = z.string().trim().max(1000);

/** The `user` object of the contract: what a signed-in user sees of their own account. */
export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  username: z.string(),
  displayName: z.string(),
  bio: z.string(),
  role: Role,
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof User>;

/** What anyone may see of a user: no email. */
export const PublicProfile = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  bio: z.string(),
  role: Role,
  subscriberCount: z.number().int(),
  videoCount: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type PublicProfile = z.infer<typeof PublicProfile>;

/** `PATCH /users/me`: only these two fields; role, email and counts are not the user's to set here. */
export const UpdateProfileRequest = z.strictObject({
  displayName: DisplayName.optional(),
  bio: Bio.optional(),
});
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

/** `PATCH /admin/users/{id}`. */
export const UpdateRoleRequest = z.strictObject({ role: Role });

export const UserIdParams = z.strictObject({ id: z.uuid('must be a user id') });
/** A path segment that is either a user id or a username; anything else cannot name a user. */
export const IdOrUsernameParams = z.strictObject({
  idOrUsername: z.union([z.uuid(), Username], 'must be a user id or a username'),
});
