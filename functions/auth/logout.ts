import { clearedRefreshTokenCookie, presentedRefreshToken } from '#lib/auth/refresh-cookie.ts';
import { revokeRefreshTokenFamily } from '#lib/auth/refresh-token.ts';
import { RefreshRequest } from '#lib/auth/schemas.ts';
import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** POST /auth/logout: revokes the refresh token's whole family and clears the cookie. */
export const handler = route(
  {
    rateLimit: 'auth',
    auth: 'none',
    errors: [401],
    body: RefreshRequest,
    responses: { 204: null },
    summary: 'Sign out: revoke the session of a refresh token',
  },
  async ({ body, event }) => {
    await revokeRefreshTokenFamily(presentedRefreshToken(body?.refreshToken, event));
    return noContent({ cookies: [clearedRefreshTokenCookie()] });
  },
);
