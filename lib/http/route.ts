import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { $ZodType, output } from 'zod/v4/core';
import type { Principal, Role } from '../auth/principal.ts';
import { config } from '../environment.ts';
import { injectLambdaContext, logger } from '../log.ts';
import { accessLog } from './access-log.ts';
import { type AuthMode, authenticate } from './authenticate.ts';
import { clientAddress } from './client-address.ts';
import type { RouteEvent } from './event.ts';
import { responseHeaders } from './headers.ts';
import { jsonBody } from './json-body.ts';
import { problemDetails } from './problem.ts';
import { rateLimit } from './rate-limit.ts';
import type { ApiResponse } from './response.ts';
import { validate } from './validate.ts';

type Parsed<S> = S extends $ZodType ? output<S> : undefined;
type CallerOf<A extends AuthMode> = A extends 'none'
  ? undefined
  : A extends 'optional'
    ? Principal | undefined
    : Principal;

export interface RouteOptions<B, Q, P, A extends AuthMode> {
  /** Routes deny by default: without `auth`, a valid access token is required. */
  auth?: A;
  roles?: readonly Role[];
  body?: B;
  query?: Q;
  params?: P;
  maxBodyBytes?: number;
  /**
   * Which request budget the route spends: `auth` is the stricter one for sign-in routes; `posting`, for routes that
   * publish what users write (comments, reports), spends the `api` budget and a small per-account one of its own;
   * `none` only for the health check, which must answer (and report the database) even when the database is down.
   * Default `api`.
   */
  rateLimit?: 'api' | 'auth' | 'posting' | 'none';
  /** Success responses by status, for the OpenAPI document (`null` for no body); never checked at run time. */
  responses?: Record<number, $ZodType | null>;
  /** One line for the OpenAPI document. */
  summary?: string;
  /**
   * Problem statuses this route answers beyond those its options imply (400 for inputs, 401 for auth, 403 for
   * roles, 404 for path parameters, 413/415 for bodies, 429 unless exempt, 503 always), e.g. `[409]`; for OpenAPI.
   */
  errors?: readonly number[];
}

/** What a handler receives: validated, typed input and the verified caller. */
export interface ApiRequest<B, Q, P, A extends AuthMode> {
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
  caller: CallerOf<A>;
  /** Client address as API Gateway saw it (an IPv6 one as its /64), for per-address limits and view de-duplication. */
  clientAddress: string;
  event: APIGatewayProxyEventV2;
}

/**
 * Wraps a handler in the shared middy stack: request context logging, security and CORS headers,
 * problem+json errors, JSON body with a size cap, authentication and role guard, a PostgreSQL-backed rate limit,
 * then zod validation.
 *
 * @example
 * export const handler = route({ auth: 'optional', params: VideoIdParams }, async ({ params, caller }) =>
 *   json(200, await getVideo(caller, params.id)));
 */
export function route<
  B extends $ZodType | undefined = undefined,
  Q extends $ZodType | undefined = undefined,
  P extends $ZodType | undefined = undefined,
  A extends AuthMode = 'required',
>(options: RouteOptions<B, Q, P, A>, handle: (request: ApiRequest<B, Q, P, A>) => Promise<ApiResponse>) {
  const callHandler = async (event: RouteEvent, _context: Context) => {
    const input = event.input ?? {};
    return handle({
      body: input.body as Parsed<B>,
      query: input.query as Parsed<Q>,
      params: input.params as Parsed<P>,
      caller: input.principal as CallerOf<A>,
      clientAddress: clientAddress(event),
      event,
    });
  };
  const handler = middy<RouteEvent, ApiResponse>()
    .use(injectLambdaContext(logger))
    .use(accessLog(logger))
    .use(responseHeaders({ corsOrigins: config.corsOrigins }))
    .use(problemDetails())
    // A route without a body schema never reads a body, so it neither parses nor refuses one.
    .use(options.body ? jsonBody({ maxBytes: options.maxBodyBytes ?? config.maxBodyBytes }) : [])
    .use(authenticate({ mode: options.auth ?? 'required', roles: options.roles }))
    .use(
      options.rateLimit === 'none'
        ? []
        : rateLimit({
            scope: options.rateLimit === 'auth' ? 'auth' : 'api',
            windowSeconds: config.rateLimit.windowSeconds,
            limit: options.rateLimit === 'auth' ? config.rateLimit.authPerWindow : config.rateLimit.perWindow,
          }),
    )
    .use(
      options.rateLimit === 'posting'
        ? rateLimit({
            scope: 'posting',
            windowSeconds: config.rateLimit.windowSeconds,
            limit: config.rateLimit.postsPerWindow,
          })
        : [],
    )
    .use(validate({ body: options.body, query: options.query, params: options.params }))
    .handler(callHandler);
  // The options stay readable on the handler so the OpenAPI document and route tests can describe it.
  return Object.assign(handler, { routeOptions: options });
}
