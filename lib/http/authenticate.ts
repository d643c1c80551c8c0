import type middy from '@middy/core';
import { verifyAccessToken } from '../auth/access-token.ts';
import { confirmCaller } from '../auth/caller-standing.ts';
import type { Role } from '../auth/principal.ts';
import { Forbidden, Unauthorized } from '../errors.ts';
import { header, type RouteEvent, routeInput } from './event.ts';

export type AuthMode = 'required' | 'optional' | 'none';

export interface AuthenticateOptions {
  mode: AuthMode;
  /** Roles allowed to call the route; absent means any signed-in user. */
  roles?: readonly Role[];
}

/** Methods that change nothing: they trust the token's role, so reads cost no lookup. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Verifies the bearer token (401) and the role guard (403); `optional` routes accept anonymous callers. Writes
 * (every other method) confirm the caller's current role in the database first, so a role change or a deleted
 * account takes effect at once instead of when the token expires.
 */
export function authenticate(options: AuthenticateOptions): middy.MiddlewareObj {
  const { mode, roles } = options;
  const authenticateCaller: middy.MiddlewareFn = async (request) => {
    if (mode === 'none') return;
    const event = request.event as RouteEvent;
    const authorization = header(event, 'authorization');
    if (!authorization) {
      if (mode === 'optional') return;
      throw new Unauthorized('Sign in to do this', { headers: { 'www-authenticate': 'Bearer' } });
    }
    const [scheme, token] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new Unauthorized('Use an Authorization: Bearer token', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    const verified = await verifyAccessToken(token);
    const principal = READ_METHODS.has(event.requestContext?.http?.method ?? '')
      ? verified
      : await confirmCaller(verified);
    if (roles && !roles.includes(principal.role)) throw new Forbidden('Your role may not do this');
    routeInput(request).principal = principal;
  };
  return { before: authenticateCaller };
}
