import type middy from '@middy/core';
import type { Logger } from '../log.ts';
import type { RouteEvent } from './event.ts';
import type { ApiResponse } from './response.ts';

/**
 * One structured line per request, after the response is known (errors included): the route template, status and
 * duration, next to the request id and cold-start flag that `injectLambdaContext` adds. Nothing from the request
 * itself is logged (no path values, query, headers or body), so no token, password or presigned URL can leak.
 *
 * @example
 * middy(handler).use(injectLambdaContext(logger)).use(accessLog(logger));
 */
export function accessLog(logger: Logger): middy.MiddlewareObj {
  const started = new WeakMap<object, number>();
  const startClock: middy.MiddlewareFn = (request) => {
    started.set(request, performance.now());
  };
  const logRequest: middy.MiddlewareFn = (request) => {
    const event = request.event as RouteEvent;
    const status = (request.response as ApiResponse | undefined)?.statusCode ?? 500;
    logger.info('Request', {
      route: event.routeKey ?? event.requestContext?.routeKey,
      status,
      durationMs: Math.round(performance.now() - (started.get(request) ?? performance.now())),
    });
  };
  return { before: startClock, after: logRequest, onError: logRequest };
}
