import type middy from '@middy/core';
import { sql } from '../db.ts';
import { tooManyRequests } from '../errors.ts';
import { clientAddress } from './client-address.ts';
import { type RouteEvent, routeInput } from './event.ts';

export interface RateLimitOptions {
  /** Names the counter, so stricter limits (auth) do not share a budget with the rest. */
  scope: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Counts requests per caller (the user when signed in, else the client address) in fixed windows stored in
 * PostgreSQL with one atomic upsert, and answers 429 with `Retry-After` once the window's budget is spent.
 */
export function rateLimit(options: RateLimitOptions): middy.MiddlewareObj {
  const { scope, limit, windowSeconds } = options;
  const countRequest: middy.MiddlewareFn = async (request) => {
    const event = request.event as RouteEvent;
    const principal = routeInput(request).principal;
    const caller = principal ? `user:${principal.userId}` : `ip:${clientAddress(event)}`;
    const [window] = await sql<{ hits: number; retryAfter: number }[]>`
      insert into rate_limit_windows (bucket_key, window_start, hits)
      values (${`${scope}:${caller}`}, to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds}), 1)
      on conflict (bucket_key, window_start) do update set hits = rate_limit_windows.hits + 1
      returning hits, extract(epoch from window_start + make_interval(secs => ${windowSeconds}) - now())::float8 as retry_after
    `;
    if (window && window.hits > limit) throw tooManyRequests(window.retryAfter);
  };
  return { before: countRequest };
}

/** Deletes windows that ended more than an hour ago (run by the scheduled clean-up). */
export async function pruneRateLimitWindows() {
  const deleted = await sql`delete from rate_limit_windows where window_start < now() - interval '1 hour'`;
  return deleted.count;
}
