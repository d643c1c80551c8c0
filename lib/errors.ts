/** One field-level problem in a 400 response (RFC 9457 extension member `errors`). */
export interface FieldProblem {
  path: string;
  message: string;
}

export interface HttpErrorOptions {
  detail?: string;
  errors?: FieldProblem[];
  headers?: Record<string, string>;
  /** Extension members of the problem type (RFC 9457 §3.2), e.g. a quota's `limitBytes`. */
  members?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An error whose status and detail are safe to show to the client; the error middleware turns it into
 * `application/problem+json`. Anything that is not an HttpError becomes a generic 500 (or 503 for a dependency).
 *
 * @example
 * throw new NotFound('No video with this id');
 */
export class HttpError extends Error {
  readonly status: number;
  readonly title: string;
  readonly slug: string;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;
  readonly members: Record<string, unknown>;

  constructor(status: number, title: string, slug: string, options: HttpErrorOptions = {}) {
    super(options.detail ?? title, { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.title = title;
    this.slug = slug;
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.members = options.members ?? {};
  }
}

const httpError = (status: number, title: string, slug: string) =>
  class extends HttpError {
    constructor(detail?: string, options: Omit<HttpErrorOptions, 'detail'> = {}) {
      super(status, title, slug, { ...options, detail });
    }
  };

export class BadRequest extends httpError(400, 'Bad Request', 'invalid-request') {}
export class Unauthorized extends httpError(401, 'Unauthorized', 'unauthorized') {}
export class Forbidden extends httpError(403, 'Forbidden', 'forbidden') {}
export class NotFound extends httpError(404, 'Not Found', 'not-found') {}
export class Conflict extends httpError(409, 'Conflict', 'conflict') {}
export class PayloadTooLarge extends httpError(413, 'Content Too Large', 'too-large') {}
export class UnsupportedMediaType extends httpError(
  415,
  'Unsupported Media Type',
  'unsupported-media-type',
) {}
export class TooManyRequests extends httpError(429, 'Too Many Requests', 'rate-limited') {}
export class ServiceUnavailable extends httpError(503, 'Service Unavailable', 'unavailable') {}

/**
 * A dependency (the database, the bucket) that does not answer now: 503 with `Retry-After`, its error as the cause.
 *
 * @example
 * if (isDatabaseUnavailable(error)) throw dependencyUnavailable(error);
 */
export function dependencyUnavailable(cause: unknown) {
  return new ServiceUnavailable('A dependency is unavailable; try again shortly', {
    headers: { 'retry-after': '5' },
    cause,
  });
}

/** Rate limits answer 429 with `Retry-After` in whole seconds (RFC 9110 §10.2.3). */
export function tooManyRequests(retryAfterSeconds: number, detail = 'Too many requests; try again later') {
  return new TooManyRequests(detail, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}
