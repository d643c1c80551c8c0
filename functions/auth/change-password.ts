import { changePassword } from '#lib/auth/accounts.ts';
import { clearedRefreshTokenCookie } from '#lib/auth/refresh-cookie.ts';
import { ChangePasswordRequest } from '#lib/auth/schemas.ts';
import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** POST /auth/password: changes the caller's password and signs every session out. */
export const handler = route(
  {
    rateLimit: 'auth',
    errors: [403],
    body: ChangePasswordRequest,
    responses: { 204: null },
    summary: 'Change password (revokes all refresh tokens)',
  },
  async ({ body, caller, clientAddress }) => {
    await changePassword(caller.userId, body, clientAddress);
    return noContent({ cookies: [clearedRefreshTokenCookie()] });
  },
);
