import type middy from '@middy/core';
import { BadRequest, Conflict, HttpError, NotFound, ServiceUnavailable } from '../errors.ts';
import { logger } from '../log.ts';
import type { ApiResponse } from './response.ts';

const PROBLEM_TYPE_PREFIX = 'urn:clipiq:problem:';

/** postgres.js and Node socket codes, and PostgreSQL SQLSTATEs, that mean "the database is not reachable now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

interface ErrorShape {
  code?: unknown;
  constraint_name?: unknown;
  $fault?: unknown;
  name?: unknown;
}

/** Turns any thrown value into the HttpError the client sees; database and storage outages become 503. */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const code = typeof shape.code === 'string' ? shape.code : '';
  if (UNAVAILABLE_CODES.has(code) || shape.$fault === 'server' || shape.name === 'TimeoutError') {
    return new ServiceUnavailable('A dependency is unavailable; try again shortly', {
      headers: { 'retry-after': '5' },
      cause: error,
    });
  }
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

export function problemResponse(error: HttpError, instance?: string): ApiResponse {
  return {
    statusCode: error.status,
    headers: { 'content-type': 'application/problem+json', ...error.headers },
    body: JSON.stringify({
      type: `${PROBLEM_TYPE_PREFIX}${error.slug}`,
      title: error.title,
      status: error.status,
      detail: error.detail ?? error.title,
      ...(error.errors ? { errors: error.errors } : {}),
      ...(instance ? { instance } : {}),
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
