import * as z from 'zod/mini';
import { Role } from '../auth/principal.ts';
import { lazySchema } from '../lazy-schema.ts';

export const USERNAME_PATTERN = /^[a-z0-9_]{3,30}$/;

// Field schemas are factories, named schemas `lazySchema` (lib/lazy-schema.ts says why).
export const Email = () =>
  z.pipe(
    z.string().check(z.maxLength(320), z.trim(), z.toLowerCase()),
    z.email('must be an email address').check(z.maxLength(254)),
  );
export const Username = () => z.string().check(z.regex(USERNAME_PATTERN, 'must be 3–30 of a-z, 0-9 and _'));
export const DisplayName = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(60));
const Bio = () => z.string().check(z.trim(), z.maxLength(1000));

const userFields = () => ({
  id: z.uuid(),
  email: z.string(),
  username: z.string(),
  displayName: z.string(),
  bio: z.string(),
  role: Role,
  createdAt: z.iso.datetime(),
});

/** The `user` object of the contract: what a signed-in user sees of their own account. */
export const User = /* @__PURE__ */ lazySchema(() => z.object(userFields()));
export type User = z.infer<typeof User>;

/** What anyone may see of a user: no email. */
export const PublicProfile = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    bio: z.string(),
    role: Role,
    subscriberCount: z.int(),
    videoCount: z.int(),
    createdAt: z.iso.datetime(),
  }),
);
export type PublicProfile = z.infer<typeof PublicProfile>;

/** `PATCH /users/me`: only these two fields; role, email and counts are not the user's to set here. */
export const UpdateProfileRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ displayName: z.optional(DisplayName()), bio: z.optional(Bio()) }),
);
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

/** A quota an admin sets for one user, in bytes; null gives the user the configured default again. */
const QuotaLimit = () =>
  z.optional(z.nullable(z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER))));

/** `PATCH /admin/users/{id}`: a role, and the user's own storage and daily upload quotas; at least one of them. */
export const UpdateRoleRequest = /* @__PURE__ */ lazySchema(() =>
  z
    .strictObject({
      role: z.optional(Role),
      storageLimitBytes: QuotaLimit(),
      dailyUploadLimitBytes: QuotaLimit(),
    })
    .check(z.refine((changes) => Object.keys(changes).length > 0, 'name at least one field to change')),
);
export type UpdateRoleRequest = z.output<typeof UpdateRoleRequest>;

/** What an admin sees of a user they manage: the `user`, and the quotas set for them (null: the default). */
export const ManagedUser = /* @__PURE__ */ lazySchema(() =>
  z.object({
    ...userFields(),
    storageLimitBytes: z.nullable(z.int()),
    dailyUploadLimitBytes: z.nullable(z.int()),
  }),
);
export type ManagedUser = z.infer<typeof ManagedUser>;

export const UserIdParams = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ id: z.uuid('must be a user id') }),
);
/** A path segment that is either a user id or a username; anything else cannot name a user. */
export const IdOrUsernameParams = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ idOrUsername: z.union([z.uuid(), Username()], 'must be a user id or a username') }),
);
