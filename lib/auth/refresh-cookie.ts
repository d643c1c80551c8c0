import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Unauthorized } from '../errors.ts';
import { cookie } from '../http/event.ts';
import { REFRESH_TOKEN_TTL_SECONDS } from './refresh-token.ts';

const COOKIE_NAME = 'refreshToken';
/** Scoped to the auth routes so the token never travels with ordinary API calls; never readable by scripts. */
const ATTRIBUTES = 'HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth';

/**
 * The `Set-Cookie` value that hands a refresh token to a browser.
 *
 * @example
 * return json(200, session, { cookies: [refreshTokenCookie(session.refreshToken)] });
 */
export function refreshTokenCookie(token: string) {
  return `${COOKIE_NAME}=${token}; ${ATTRIBUTES}; Max-Age=${REFRESH_TOKEN_TTL_SECONDS}`;
}

/** The `Set-Cookie` value that makes a browser drop its refresh token (logout). */
export function clearedRefreshTokenCookie() {
  return `${COOKIE_NAME}=; ${ATTRIBUTES}; Max-Age=0`;
}

/**
 * The refresh token a request presents: the body's, else the cookie's; 401 when there is neither.
 *
 * @example
 * const token = presentedRefreshToken(body?.refreshToken, event);
 */
export function presentedRefreshToken(fromBody: string | undefined, event: APIGatewayProxyEventV2) {
  const token = fromBody ?? cookie(event, COOKIE_NAME);
  if (!token) throw new Unauthorized('Send the refresh token in the body or the refreshToken cookie');
  return token;
}
