import type middy from '@middy/core';
import type { ApiResponse } from './response.ts';

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-site',
};

export interface ResponseHeadersOptions {
  /** Origins allowed to read responses with credentials; never `*`. */
  corsOrigins: readonly string[];
}

/**
 * Adds the security headers, a `no-store` default cache policy, and CORS headers for allowed origins to every
 * response, errors included. Preflight requests are answered by API Gateway's own CORS configuration.
 */
export function responseHeaders(options: ResponseHeadersOptions): middy.MiddlewareObj {
  const allowed = new Set(options.corsOrigins);
  const addResponseHeaders: middy.MiddlewareFn = (request) => {
    const response = request.response as ApiResponse | undefined;
    if (!response) return;
    const headers: Record<string, string> = {
      'cache-control': 'no-store',
      ...response.headers,
      ...SECURITY_HEADERS,
    };
    const origin = (request.event as { headers?: Record<string, string | undefined> }).headers?.origin;
    if (origin && allowed.has(origin)) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-allow-credentials'] = 'true';
      headers['access-control-expose-headers'] = 'Retry-After, Location';
    }
    headers.vary = 'Origin';
    response.headers = headers;
  };
  return { after: addResponseHeaders, onError: addResponseHeaders };
}
