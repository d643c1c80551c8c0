import { expect } from 'vitest';
import type { ApiResult } from './lambda.ts';

/**
 * Asserts an RFC 9457 problem response: status, media type, `type` and `status` members, and optionally the
 * problem type's slug, the detail, the field paths named in `errors`, and any other members (`fields`).
 *
 * @example
 * expectProblem(response, 404, { slug: 'not-found', detail: 'No video with this id' });
 */
export function expectProblem(
  response: Pick<ApiResult<unknown>, 'status' | 'headers' | 'body'>,
  status: number,
  expected: {
    slug?: string;
    detail?: string | RegExp;
    paths?: string[];
    fields?: Record<string, unknown>;
  } = {},
) {
  const body = response.body as { type: string; status: number; detail: string; errors?: { path: string }[] };
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(body.status).toBe(status);
  expect(body.type).toMatch(/^urn:clipiq:problem:/);
  if (expected.slug) expect(body.type).toBe(`urn:clipiq:problem:${expected.slug}`);
  if (typeof expected.detail === 'string') expect(body.detail).toBe(expected.detail);
  if (expected.detail instanceof RegExp) expect(body.detail).toMatch(expected.detail);
  if (expected.paths) expect([...new Set(body.errors?.map((error) => error.path))]).toEqual(expected.paths);
  if (expected.fields) expect(body).toMatchObject(expected.fields);
}
