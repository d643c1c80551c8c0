import { register } from '#lib/auth/accounts.ts';
import { refreshTokenCookie } from '#lib/auth/refresh-cookie.ts';
import { RegisterRequest, Session } from '#lib/auth/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** POST /auth/register: creates a viewer or creator account and signs it in. */
export const handler = route(
  {
    rateLimit: 'auth',
    auth: 'none',
    errors: [409],
    body: RegisterRequest,
    responses: { 201: Session },
    summary: 'Create an account (viewer or creator) and sign in',
  },
  async ({ body }) => {
    const session = await register(body);
    return json(201, session, { cookies: [refreshTokenCookie(session.refreshToken)] });
  },
);
