import type middy from '@middy/core';
import { verifyAccessToken } from '../auth/access-token.ts';
import type { Role } from '../auth/principal.ts';
import { Forbidden, Unauthorized } from '../errors.ts';
import { header, type RouteEvent, routeInput } from './event.ts';

export type AuthMode = 'required' | 'optional' | 'none';

export interface AuthenticateOptions {
  mode: AuthMode;
  /** Roles allowed to call the route; absent means any signed-in user. */
  roles?: readonly Role[];
}

/** Verifies the bearer token (401) and the role guard (403); `optional` routes accept anonymous callers. */
export function authenticate(options: AuthenticateOptions): middy.MiddlewareObj {
  const { mode, roles } = options;
  const authenticateCaller: middy.MiddlewareFn = async (request) => {
    if (mode === 'none') return;
    const authorization = header(request.event as RouteEvent, 'authorization');
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
    const principal = await verifyAccessToken(token);
    if (roles && !roles.includes(principal.role)) throw new Forbidden('Your role may not do this');
    routeInput(request).principal = principal;
  };
  return { before: authenticateCaller };
}
