import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';
import { DisplayName, Email, User, Username } from '../users/schemas.ts';
import { fitsBcrypt, PASSWORD_MAX_BYTES } from './password.ts';

// Field schemas are factories, named schemas `lazySchema` (lib/lazy-schema.ts says why).
const fitsInBcrypt = () =>
  z.refine<string>(fitsBcrypt, `must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`);

/** A password as it may be chosen: 8–128 characters, and no more than bcrypt reads. */
export const NewPassword = () => z.string().check(z.minLength(8), z.maxLength(128), fitsInBcrypt());
/** A password as it may be presented: no length rules beyond what could ever have been accepted. */
const PresentedPassword = () => z.string().check(z.minLength(1), z.maxLength(128), fitsInBcrypt());
/** Opaque to clients; ours are 43 characters, the bound only keeps junk out. */
const RefreshToken = () => z.string().check(z.minLength(1), z.maxLength(256));

export const RegisterRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    email: Email(),
    password: NewPassword(),
    username: Username(),
    displayName: z.optional(DisplayName()),
    role: z.optional(z.enum(['viewer', 'creator'], 'may be viewer or creator')),
  }),
);
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ email: Email(), password: PresentedPassword() }),
);
export type LoginRequest = z.infer<typeof LoginRequest>;

/** `refresh` and `logout` take the token from the body or, when the body has none, from the cookie. */
export const RefreshRequest = /* @__PURE__ */ lazySchema(() =>
  z.optional(z.strictObject({ refreshToken: z.optional(RefreshToken()) })),
);

export const ChangePasswordRequest = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({ currentPassword: PresentedPassword(), newPassword: NewPassword() }),
);

const tokenPairFields = () => ({ accessToken: z.string(), refreshToken: z.string(), expiresIn: z.int() });
export const TokenPair = /* @__PURE__ */ lazySchema(() => z.object(tokenPairFields()));
export type TokenPair = z.infer<typeof TokenPair>;

/** The answer to register and login. */
export const Session = /* @__PURE__ */ lazySchema(() => z.object({ ...tokenPairFields(), user: User }));
export type Session = z.infer<typeof Session>;
