import type middy from '@middy/core';
import { isDatabaseUnavailable } from '../db.ts';
import { BadRequest, Conflict, dependencyUnavailable, HttpError, NotFound } from '../errors.ts';
import { logger } from '../log.ts';
import type { ApiResponse } from './response.ts';

const PROBLEM_TYPE_PREFIX = 'urn:clipiq:problem:';

interface ErrorShape {
  code?: unknown;
  constraint_name?: unknown;
}

/**
 * Turns any thrown value into the HttpError the client sees: a database outage becomes 503 (storage outages arrive
 * as 503 already, from `lib/storage.ts`), constraint violations 409, 404 or 400.
 */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (isDatabaseUnavailable(error)) return dependencyUnavailable(error);
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const code = typeof shape.code === 'string' ? shape.code : '';
  if (code === '23505') {
    const field = uniqueViolationField(String(shape.constraint_name ?? ''));
    return new Conflict(field ? `This ${field} is already taken` : 'This resource already exists', {
      errors: field ? [{ path: `body.${field}`, message: 'already taken' }] : undefined,
      cause: error,
    });
  }
  if (code === '23503') return new NotFound('A referenced resource does not exist', { cause: error });
  if (code.startsWith('22') || code === '23514')
    return new BadRequest('A value is out of range or malformed', { cause: error });
  return undefined;
}

/** `users_email_key` → `email`: PostgreSQL's default unique-constraint name is `<table>_<column>_key`. */
function uniqueViolationField(constraint: string) {
  const match = /^[a-z0-9]+_([a-z0-9_]+)_key$/.exec(constraint);
  return match?.[1]?.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The RFC 9457 response of an HttpError, with any extension members the problem type defines after the standard ones.
 *
 * @example
 * problemResponse(new ServiceUnavailable('Unavailable: database'), { database: 'down', storage: 'ok' });
 */
export function problemResponse(error: HttpError, extensions: Record<string, unknown> = {}): ApiResponse {
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/problem+json', ...error.headers },
    body: JSON.stringify({
      type: `${PROBLEM_TYPE_PREFIX}${error.slug}`,
      title: error.title,
      status: error.status,
      detail: error.detail ?? error.title,
      ...(error.errors ? { errors: error.errors } : {}),
      ...error.members,
      ...extensions,
    }),
  };
}

/**
 * Every error leaves as RFC 9457 problem+json. HttpErrors are shown as they are; anything else is logged once
 * with its cause and becomes a generic 500 whose body says nothing about the internals.
 */
export function problemDetails(): middy.MiddlewareObj {
  const renderProblem: middy.MiddlewareFn = (request) => {
    const known = toHttpError(request.error);
    if (known && known.status < 500) {
      request.response = problemResponse(known);
      return;
    }
    logger.error(known ? 'Dependency unavailable' : 'Unhandled error', request.error as Error);
    request.response = problemResponse(
      known ??
        new HttpError(500, 'Internal Server Error', 'internal', {
          detail: 'Something went wrong on our side',
        }),
    );
  };
  return { onError: renderProblem };
}
