import { describe, expect, it } from 'vitest';
import { handler as openApiJson } from '#functions/docs/openapi.ts';
import { handler as health } from '#functions/health/get.ts';
import { documentedRoutes, generateOpenApiDocument } from '#tools/openapi/route-table.ts';
import { createUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';
import { expectMatchesOperation } from '../support/openapi-assert.ts';

describe('GET /openapi.json', () => {
  it('serves the generated OpenAPI document, cacheable and public', async () => {
    // Act
    const response = await callApi(openApiJson, { path: '/api/v1/openapi.json' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(await generateOpenApiDocument())));
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    await expectMatchesOperation('GET', '/api/v1/openapi.json', response);
  });
});

describe('real responses against their documented schemas', () => {
  it('health answers with its documented 200 body', async () => {
    // Act
    const response = await callApi(health, { path: '/api/v1/health' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'ok', storage: 'ok' });
    await expectMatchesOperation('GET', '/api/v1/health', response);
  });

  it('every operation that requires a token answers its documented 401 problem without one', async () => {
    // Prepare
    const protectedRoutes = (await documentedRoutes()).filter(
      ({ options }) => (options.auth ?? 'required') === 'required',
    );
    expect(protectedRoutes.length).toBeGreaterThan(0);

    for (const route of protectedRoutes) {
      const pathParameters = Object.fromEntries(
        [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => [match[1], crypto.randomUUID()]),
      );

      // Act
      const response = await callApi(route.handler, {
        method: route.method,
        path: route.path,
        pathParameters,
      });

      // Assess
      expect(response.status, route.operationId).toBe(401);
      expect(response.body).toMatchObject({ type: 'urn:clipiq:problem:unauthorized', status: 401 });
      await expectMatchesOperation(route.method, route.path, response);
    }
  });

  it('a signed-in user’s own account matches the documented user schema', async () => {
    // Prepare
    const user = await createUser();
    const route = (await documentedRoutes()).find((candidate) => candidate.path === '/api/v1/auth/me');
    if (!route) throw new Error('GET /api/v1/auth/me is not declared');

    // Act
    const response = await callApi(route.handler, { path: route.path, token: user.accessToken });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, email: user.email });
    await expectMatchesOperation('GET', '/api/v1/auth/me', response);
  });
});
