import { expect } from 'vitest';
import { safeParse } from 'zod/v4/core';
import { problemStatuses } from '#tools/openapi/document.ts';
import { Problem } from '#tools/openapi/problem-schema.ts';
import { documentedRoute } from '#tools/openapi/route-table.ts';

export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Asserts that a real response is one the OpenAPI document promises for the operation: its status is documented,
 * and its body is accepted by the very zod schema the document was generated from (the route's `responses` entry,
 * or `Problem` for problem statuses) without any field the schema does not name.
 *
 * @example
 * const response = await callApi(handler, { path: '/api/v1/health' });
 * await expectMatchesOperation('GET', '/api/v1/health', response);
 */
export async function expectMatchesOperation(method: string, path: string, response: ObservedResponse) {
  const operation = `${method.toUpperCase()} ${path}`;
  const route = await documentedRoute(method, path);
  if (!route) throw new Error(`${operation} is not a route of serverless.yml`);
  const successes = route.options.responses ?? {};
  if (response.status in successes) {
    const schema = successes[response.status];
    if (!schema) {
      expect(response.body, `${operation} ${response.status} has no body`).toBeUndefined();
      return;
    }
    expect(response.headers['content-type'], `${operation} content type`).toMatch(/^application\/json/);
    expectAccepted(safeParse(schema, response.body), response.body, `${operation} ${response.status}`);
    return;
  }
  expect(problemStatuses(route.options), `${operation} does not document ${response.status}`).toContain(
    response.status,
  );
  expect(response.headers['content-type'], `${operation} content type`).toBe('application/problem+json');
  expectAccepted(Problem.safeParse(response.body), response.body, `${operation} ${response.status}`);
}

function expectAccepted(
  parsed: { success: boolean; data?: unknown; error?: { issues: unknown[] } },
  body: unknown,
  what: string,
) {
  expect(parsed.error?.issues ?? [], `${what}: body does not match its documented schema`).toEqual([]);
  // zod drops keys its objects do not name: equality means the body carries nothing undocumented.
  expect(parsed.data, `${what}: body carries fields its schema does not document`).toEqual(body);
}
