import { login } from '#lib/auth/accounts.ts';
import { refreshTokenCookie } from '#lib/auth/refresh-cookie.ts';
import { LoginRequest, Session } from '#lib/auth/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** POST /auth/login: email and password in, tokens out; failures are throttled. */
export const handler = route(
  {
    rateLimit: 'auth',
    auth: 'none',
    errors: [401],
    body: LoginRequest,
    responses: { 200: Session },
    summary: 'Sign in with email and password',
  },
  async ({ body, clientAddress }) => {
    const session = await login(body, clientAddress);
    return json(200, session, { cookies: [refreshTokenCookie(session.refreshToken)] });
  },
);
