import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Conflict } from '#lib/errors.ts';
import { json, noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { apiGatewayEvent, callApi, lambdaContext } from '../support/lambda.ts';
import { TEST_CORS_ORIGIN } from '../support/stack.ts';

const EchoBody = z.strictObject({ name: z.string().min(1).max(20), count: z.number().int().optional() });
const echo = route({ auth: 'none', body: EchoBody }, async ({ body }) => json(200, body));
const creatorsOnly = route({ roles: ['creator', 'admin'] }, async ({ caller }) =>
  json(200, { userId: caller.userId }),
);
const signedIn = route({}, async () => noContent());
const optional = route(
  { auth: 'none', query: z.strictObject({ limit: z.coerce.number().int().max(100).optional() }) },
  async ({ query }) => json(200, query),
);
const exploding = route({ auth: 'none' }, async () => {
  throw new Error('secret internal detail at /srv/app.js:12');
});
const conflicting = route({ auth: 'none' }, async () => {
  throw new Conflict('Already there');
});

describe('the shared HTTP stack', () => {
  it('builds its own lazy request schemas when the route is made, not in its first request', async () => {
    // Prepare
    let builds = 0;
    const LazyBody = z.lazy(() => {
      builds += 1;
      return z.strictObject({ name: z.string() });
    });

    // Act
    const lazyEcho = route({ auth: 'none', body: LazyBody }, async ({ body }) => json(200, body));
    const builtWithRoute = builds;
    const response = await callApi(lazyEcho, { method: 'POST', body: { name: 'clip' } });

    // Assess
    expect(builtWithRoute).toBe(1);
    expect(response.body).toEqual({ name: 'clip' });
    expect(builds).toBe(1);
  });

  it('passes a valid JSON body to the handler', async () => {
    const response = await callApi(echo, { method: 'POST', body: { name: 'clip', count: 2 } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ name: 'clip', count: 2 });
  });

  it.each([
    ['an unknown field', { name: 'clip', role: 'admin' }, 'body'],
    ['a wrong type', { name: 42 }, 'body.name'],
    ['a missing field', {}, 'body.name'],
    ['a too long string', { name: 'x'.repeat(21) }, 'body.name'],
  ])('rejects %s with 400 and the field path', async (_case, body, path) => {
    const response = await callApi(echo, { method: 'POST', body });
    expectProblem(response, 400, {
      slug: 'invalid-request',
      fields: { title: expect.any(String), detail: expect.any(String) },
    });
    expect((response.body.errors as { path: string }[]).map((error) => error.path)).toContain(path);
  });

  it.each([
    [
      'malformed JSON',
      { rawBody: '{"name":', headers: { 'content-type': 'application/json' } },
      400,
      'invalid-request',
    ],
    [
      'a non-JSON media type',
      { rawBody: 'name=clip', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'unsupported-media-type',
    ],
    [
      'a body over the size cap',
      {
        rawBody: JSON.stringify({ name: 'x'.repeat(70_000) }),
        headers: { 'content-type': 'application/json' },
      },
      413,
      'too-large',
    ],
    [
      'JSON nested too deep',
      { rawBody: `${'['.repeat(40)}${']'.repeat(40)}`, headers: { 'content-type': 'application/json' } },
      400,
      'invalid-request',
    ],
  ])('answers %s with problem+json', async (_case, call, status, slug) => {
    const response = await callApi(echo, { method: 'POST', ...call });
    expectProblem(response, status, {
      slug,
      fields: { title: expect.any(String), detail: expect.any(String) },
    });
  });

  // serverless offline (npm start) parses a JSON body itself and hands `0` or `false` over as a number or boolean.
  it.each([0, false])('answers a body that arrives parsed as %s with 400, not 500', async (parsed) => {
    // Prepare
    const event = apiGatewayEvent({ method: 'POST', rawBody: JSON.stringify(parsed) });
    Object.assign(event, { body: parsed, headers: { ...event.headers, 'content-type': 'application/json' } });

    // Act
    const response = (await echo(event as never, lambdaContext())) as { statusCode: number; body: string };

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ type: 'urn:clipiq:problem:invalid-request' });
  });

  it('rejects a limit above 100 in the query string', async () => {
    const response = await callApi(optional, { query: { limit: '101' } });
    expectProblem(response, 400, {
      slug: 'invalid-request',
      fields: { title: expect.any(String), detail: expect.any(String) },
    });
    expect(response.body.errors).toEqual([{ path: 'query.limit', message: expect.any(String) }]);
  });

  it('denies by default: a route without auth options needs a token', async () => {
    const response = await callApi(signedIn);
    expectProblem(response, 401, {
      slug: 'unauthorized',
      fields: { title: expect.any(String), detail: expect.any(String) },
    });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('rejects a malformed bearer token with 401', async () => {
    const response = await callApi(signedIn, { headers: { authorization: 'Bearer not.a.jwt' } });
    expectProblem(response, 401, {
      slug: 'unauthorized',
      fields: { title: expect.any(String), detail: expect.any(String) },
    });
  });

  it('guards roles: a viewer gets 403 on a creator route, a creator passes', async () => {
    const viewer = await createUser({ role: 'viewer' });
    const creator = await createUser({ role: 'creator' });

    const denied = await callApi(creatorsOnly, { token: viewer.accessToken });
    const allowed = await callApi(creatorsOnly, { token: creator.accessToken });

    expectProblem(denied, 403, {
      slug: 'forbidden',
      fields: { title: expect.any(String), detail: expect.any(String) },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ userId: creator.id });
  });

  it('masks unexpected errors as a generic 500 without internals', async () => {
    const response = await callApi(exploding);
    expectProblem(response, 500, {
      slug: 'internal',
      fields: { title: expect.any(String), detail: expect.any(String) },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/secret|srv|stack|at /);
  });

  it('renders typed errors with their status', async () => {
    const response = await callApi(conflicting);
    expectProblem(response, 409, {
      slug: 'conflict',
      fields: { title: expect.any(String), detail: expect.any(String) },
    });
    expect(response.body.detail).toBe('Already there');
  });

  it('sets security headers and no-store on every response, errors included', async () => {
    for (const response of [
      await callApi(echo, { method: 'POST', body: { name: 'a' } }),
      await callApi(signedIn),
    ]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': expect.stringContaining('max-age='),
        'cache-control': 'no-store',
      });
    }
  });

  it('allows CORS only for configured origins, never with a wildcard', async () => {
    const allowed = await callApi(signedIn, { headers: { origin: TEST_CORS_ORIGIN } });
    const foreign = await callApi(signedIn, { headers: { origin: 'https://evil.example' } });

    expect(allowed.headers['access-control-allow-origin']).toBe(TEST_CORS_ORIGIN);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});
