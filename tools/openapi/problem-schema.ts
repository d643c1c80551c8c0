import { z } from 'zod';

/** RFC 9457 problem details as `lib/http/problem.ts` renders them; extension members (e.g. health's parts) may follow. */
export const Problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    instance: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });
export type Problem = z.infer<typeof Problem>;

/** Each problem status the API uses, with the name of its shared OpenAPI response and what it means. */
export const PROBLEM_STATUSES = {
  400: ['BadRequest', 'Malformed or invalid input; `errors` lists each field problem'],
  401: ['Unauthorized', 'Missing, invalid or expired access token'],
  403: ['Forbidden', 'Signed in, but not allowed to do this'],
  404: ['NotFound', 'Not found, or not visible to the caller'],
  409: ['Conflict', 'Conflicts with existing data or the current state'],
  413: ['ContentTooLarge', 'The request body or the declared upload is too large'],
  415: ['UnsupportedMediaType', 'The body is not JSON, or the declared video type is not accepted'],
  422: ['UnprocessableContent', 'An Idempotency-Key reused with another request body'],
  429: ['TooManyRequests', 'Rate limited; retry after `Retry-After` seconds'],
  503: ['ServiceUnavailable', 'A dependency (database or storage) is unavailable; retry shortly'],
} as const satisfies Record<number, readonly [string, string]>;
export type ProblemStatus = keyof typeof PROBLEM_STATUSES;
