import { z } from 'zod';
import { DisplayName, Email, User, Username } from '../users/schemas.ts';
import { fitsBcrypt, PASSWORD_MAX_BYTES } from './password.ts';

const fitsInBcrypt = [fitsBcrypt, `must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`] as const;

/** A password as it may be chosen: 8–128 characters, and no more than bcrypt reads. */
export const NewPassword = z
  .string()
  .min(8)
  .max(128)
  .refine(...fitsInBcrypt);
/** A password as it may be presented: no length rules beyond what could ever have been accepted. */
export const PresentedPassword = z
  .string()
  .min(1)
  .max(128)
  .refine(...fitsInBcrypt);
/** Opaque to clients; ours are 43 characters, the bound only keeps junk out. */
export const RefreshToken = z.string().min(1).max(256);

export const RegisterRequest = z.strictObject({
  email: Email,
  password: NewPassword,
  username: Username,
  displayName: DisplayName.optional(),
  role: z.enum(['viewer', 'creator'], 'may be viewer or creator').optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z.strictObject({ email: Email, password: PresentedPassword });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** `refresh` and `logout` take the token from the body or, when the body has none, from the cookie. */
export const RefreshRequest = z.strictObject({ refreshToken: RefreshToken.optional() }).optional();

export const ChangePasswordRequest = z.strictObject({
  currentPassword: PresentedPassword,
  newPassword: NewPassword,
});

export const TokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
});
export type TokenPair = z.infer<typeof TokenPair>;

/** The answer to register and login. */
export const Session = TokenPair.extend({ user: User });
export type Session = z.infer<typeof Session>;
