import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callApi } from '../support/lambda.ts';

const WINDOW_SECONDS = 3600;

type Route = typeof import('#lib/http/route.ts');
let handlers: { anonymous: ReturnType<Route['route']>; signIn: ReturnType<Route['route']> };
let createUser: typeof import('../support/factories.ts').createUser;

beforeAll(async () => {
  // Configuration is read when the stack is imported: set this file's small budgets first.
  process.env.RATE_LIMIT_PER_MINUTE = '5';
  process.env.RATE_LIMIT_AUTH_PER_MINUTE = '2';
  process.env.RATE_LIMIT_WINDOW_SECONDS = String(WINDOW_SECONDS);
  const { route } = await import('#lib/http/route.ts');
  const { noContent } = await import('#lib/http/response.ts');
  ({ createUser } = await import('../support/factories.ts'));
  handlers = {
    anonymous: route({ auth: 'optional' }, async () => noContent()),
    signIn: route({ auth: 'none', rateLimit: 'auth' }, async () => noContent()),
  };
});

// A test must not straddle two windows: wait out the last seconds of the current one.
beforeEach(async () => {
  const msLeft = WINDOW_SECONDS * 1000 - (Date.now() % (WINDOW_SECONDS * 1000));
  if (msLeft < 3000) await new Promise((resolve) => setTimeout(resolve, msLeft + 50));
});

const statuses = async (count: number, call: () => Promise<{ status: number }>) => {
  const results: number[] = [];
  for (let i = 0; i < count; i++) results.push((await call()).status);
  return results;
};

describe('rate limiting (PostgreSQL fixed windows)', () => {
  it('answers 429 problem+json with Retry-After once an address spends its budget', async () => {
    const results = await statuses(6, () => callApi(handlers.anonymous, { sourceIp: '198.51.100.1' }));
    const limited = await callApi(handlers.anonymous, { sourceIp: '198.51.100.1' });

    expect(results).toEqual([204, 204, 204, 204, 204, 429]);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toBe('application/problem+json');
    expect(limited.body).toMatchObject({ type: 'urn:clipiq:problem:rate-limited', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(WINDOW_SECONDS);
  });

  it('counts per address: another address still has its budget', async () => {
    await statuses(6, () => callApi(handlers.anonymous, { sourceIp: '198.51.100.2' }));

    const other = await callApi(handlers.anonymous, { sourceIp: '198.51.100.3' });

    expect(other.status).toBe(204);
  });

  it('counts every address of one IPv6 /64 as one caller', async () => {
    let interfaceId = 0;
    const results = await statuses(6, () =>
      callApi(handlers.anonymous, { sourceIp: `2001:db8:51:6::${(++interfaceId).toString(16)}` }),
    );
    const otherSlash64 = await callApi(handlers.anonymous, { sourceIp: '2001:db8:51:7::1' });

    expect(results).toEqual([204, 204, 204, 204, 204, 429]);
    expect(otherSlash64.status).toBe(204);
  });

  it('counts signed-in callers per user, not per shared address', async () => {
    const [alice, bob] = [await createUser(), await createUser()];
    const sourceIp = '198.51.100.4';

    const aliceResults = await statuses(6, () =>
      callApi(handlers.anonymous, { sourceIp, token: alice.accessToken }),
    );
    const bobFirst = await callApi(handlers.anonymous, { sourceIp, token: bob.accessToken });

    expect(aliceResults.at(-1)).toBe(429);
    expect(bobFirst.status).toBe(204);
  });

  it('gives sign-in routes a stricter budget of their own', async () => {
    const results = await statuses(3, () => callApi(handlers.signIn, { sourceIp: '198.51.100.5' }));
    const generalRoute = await callApi(handlers.anonymous, { sourceIp: '198.51.100.5' });

    expect(results).toEqual([204, 204, 429]);
    expect(generalRoute.status).toBe(204);
  });

  it('counts concurrent requests exactly (atomic upsert, no lost updates)', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => callApi(handlers.anonymous, { sourceIp: '198.51.100.6' })),
    );

    expect(results.filter((result) => result.status === 204)).toHaveLength(5);
    expect(results.filter((result) => result.status === 429)).toHaveLength(7);
  });
});
