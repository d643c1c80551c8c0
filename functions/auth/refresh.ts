import { refreshSession } from '#lib/auth/accounts.ts';
import { presentedRefreshToken, refreshTokenCookie } from '#lib/auth/refresh-cookie.ts';
import { RefreshRequest, TokenPair } from '#lib/auth/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** POST /auth/refresh: spends a refresh token (body or cookie) for a new access and refresh token. */
export const handler = route(
  {
    rateLimit: 'auth',
    auth: 'none',
    errors: [401],
    body: RefreshRequest,
    responses: { 200: TokenPair },
    summary: 'Rotate a refresh token',
  },
  async ({ body, event }) => {
    const tokens = await refreshSession(presentedRefreshToken(body?.refreshToken, event));
    return json(200, tokens, { cookies: [refreshTokenCookie(tokens.refreshToken)] });
  },
);
