import { readFile } from 'node:fs/promises';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loginAs, registerUser } from '../support/auth-factories.ts';
import { createUser, createVideo } from '../support/factories.ts';
import { callRoute, findRoute, routeName, serviceRoutes } from '../support/fuzz-routes.ts';
import { TEST_CORS_ORIGIN } from '../support/stack.ts';

const routes = await serviceRoutes();
const named = routes.map((route) => [routeName(route), route] as const);
const route = (name: string) => findRoute(routes, name);

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': expect.stringMatching(/^max-age=\d{8,}; includeSubDomains$/),
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-site',
};
/** The one response a cache may keep: the public API document. Everything else is per caller. */
const CACHEABLE = { 'GET /api/v1/openapi.json': 'public, max-age=300' } as Record<string, string>;

describe('headers on every response (API8)', () => {
  it.each(named)(
    '%s sends the security headers, its cache policy and CORS for configured origins only',
    async (name, candidate) => {
      // Prepare: a signed-in caller and real path values, so most routes answer 2xx; errors are checked too.
      const creator = await createUser({ role: 'creator' });
      const video = await createVideo(creator);
      const values = { id: video.id, idOrUsername: creator.username, uploadId: 'u', partNumber: '1' };

      // Act
      const responses = [];
      for (const origin of [TEST_CORS_ORIGIN, 'https://evil.example', 'null', '*']) {
        for (const token of [creator.accessToken, undefined]) {
          responses.push({
            origin,
            response: await callRoute(candidate, values, { token, headers: { origin } }),
          });
        }
      }

      // Assess
      for (const { origin, response } of responses) {
        expect(response.status).toBeLessThan(500);
        expect(response.headers).toMatchObject(SECURITY_HEADERS);
        const policy = response.status < 300 ? (CACHEABLE[name] ?? 'no-store') : 'no-store';
        expect(response.headers['cache-control']).toBe(policy);
        expect(response.headers.vary).toBe('Origin');
        if (origin === TEST_CORS_ORIGIN) {
          expect(response.headers['access-control-allow-origin']).toBe(TEST_CORS_ORIGIN);
          expect(response.headers['access-control-allow-credentials']).toBe('true');
        } else {
          expect(response.headers['access-control-allow-origin']).toBeUndefined();
          expect(response.headers['access-control-allow-credentials']).toBeUndefined();
        }
      }
    },
  );

  it('never lets a cache keep a response that carries tokens (register, login, refresh)', async () => {
    // Prepare
    const user = await registerUser();

    // Act
    const login = await loginAs(user);
    const refresh = await callRoute(
      route('POST /api/v1/auth/refresh'),
      {},
      {
        body: { refreshToken: login.body.refreshToken },
      },
    );
    const register = await callRoute(
      route('POST /api/v1/auth/register'),
      {},
      {
        body: { email: 'cache@example.test', username: 'cache_check', password: 'long enough password' },
      },
    );

    // Assess
    for (const response of [login, refresh, register]) {
      expect(response.status).toBeLessThan(300);
      expect(response.body.accessToken).toEqual(expect.any(String));
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('CORS at the gateway (API8)', () => {
  it('allows credentials only from listed origins, never from *, in every stage', async () => {
    // Prepare
    const service = load(await readFile('serverless.yml', 'utf8')) as {
      params: Record<string, { corsOrigins?: unknown }>;
      provider: { httpApi: { cors: Record<string, unknown> } };
    };

    // Act
    const cors = service.provider.httpApi.cors;
    const stageOrigins = Object.entries(service.params).map(([stage, params]) => ({
      stage,
      origins: params.corsOrigins,
    }));

    // Assess
    // The gateway takes each stage's own list of origins (a serverless variable, read here as written).
    expect(cors).toMatchObject({
      allowedOrigins: ['$', '{param:corsOrigins}'].join(''),
      allowCredentials: true,
    });
    for (const { stage, origins } of stageOrigins) {
      expect(Array.isArray(origins), `${stage} lists its origins`).toBe(true);
      for (const origin of origins as string[]) expect(origin, stage).not.toMatch(/^\*|, '\*'\}$/);
    }
  });
});
