import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { problemStatuses } from '#tools/openapi/document.ts';
import { documentedRoutes, generateOpenApiDocument } from '#tools/openapi/route-table.ts';
import { httpRoutes, readServerlessFunctions } from '#tools/serverless-functions.ts';
import { functionEntryPoints } from '../../esbuild.config.ts';

const functions = await readServerlessFunctions();
const declared = httpRoutes(functions);
const document = await generateOpenApiDocument();
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);

describe('the OpenAPI document against serverless.yml (drift)', () => {
  it('documents every httpApi route of serverless.yml under its function key, and nothing else', () => {
    // Prepare
    const routeKeys = declared.map((route) => `${route.operationId} ${route.method} ${route.path}`).sort();

    // Act
    const documented = operations.map(
      ({ method, path, operation }) => `${operation.operationId} ${method} ${path}`,
    );

    // Assess
    expect(documented.sort()).toEqual(routeKeys);
    expect(new Set(documented.map((key) => key.split(' ')[0])).size).toBe(documented.length);
  });

  it('builds every HTTP handler with route(), with a summary and a documented success response', async () => {
    // Act
    const routes = await documentedRoutes();

    // Assess
    const undescribed = routes
      .filter(({ options }) => {
        const statuses = Object.keys(options.responses ?? {}).map(Number);
        return !options.summary || !statuses.some((status) => status >= 200 && status < 300);
      })
      .map((route) => route.operationId);
    expect(undescribed).toEqual([]);
  });

  it('builds no response schema at import: each is a z.lazy, read only by the document and the tests', async () => {
    // Act
    const routes = await documentedRoutes();

    // Assess
    const eager = routes.flatMap(({ operationId, options }) =>
      Object.entries(options.responses ?? {})
        .filter(([, schema]) => schema !== null && schema._zod.def.type !== 'lazy')
        .map(([status]) => `${operationId} ${status}`),
    );
    expect(eager).toEqual([]);
  });

  it('keeps every request schema a z.lazy, so that a function builds only those its route validates with', async () => {
    // Act
    const routes = await documentedRoutes();

    // Assess
    const eager = routes.flatMap(({ operationId, options }) =>
      (['body', 'query', 'params'] as const)
        .filter((part) => options[part] !== undefined && options[part]._zod.def.type !== 'lazy')
        .map((part) => `${operationId} ${part}`),
    );
    expect(eager).toEqual([]);
  });

  it('deploys every handler module under functions/ as a function, and every function from a module there', async () => {
    // Prepare
    const modules = (await functionEntryPoints()).map((file) => file.replaceAll('\\', '/')).sort();

    // Act
    const handlers = Object.values(functions).map(({ handler }) =>
      handler.replace(/^dist\//, '').replace(/\.[^.]+$/, '.ts'),
    );

    // Assess
    expect([...new Set(handlers)].sort()).toEqual(modules);
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with bearer security matching each route’s auth mode', async () => {
    // Prepare
    const routes = await documentedRoutes();

    // Act
    const security = Object.fromEntries(
      operations.map(({ operation }) => [operation.operationId, operation.security]),
    );

    // Assess
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { operationId, options } of routes) {
      const expected = { none: [], optional: [{ bearerAuth: [] }, {}], required: [{ bearerAuth: [] }] };
      expect(security[operationId], operationId).toEqual(expected[options.auth ?? 'required']);
    }
  });

  it('names the licence of package.json and a server that every path, written from /api/v1, resolves against', async () => {
    // Prepare
    const { license } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));

    // Act
    const servers = document.servers.map((server) => server.url);

    // Assess
    expect(document.info.license).toEqual({ name: license, identifier: license });
    expect(servers).toEqual(['/', 'http://localhost:3000']);
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/api/v1/'))).toEqual([]);
  });

  it('declares every path parameter and answers problems with the shared Problem schema', async () => {
    // Prepare
    const routes = new Map((await documentedRoutes()).map((route) => [route.operationId, route]));

    for (const { path, operation } of operations) {
      // Act
      const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      const problems = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);

      // Assess
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      expect(pathParameters.map((parameter) => parameter.name).sort(), path).toEqual(templated.sort());
      const route = routes.get(operation.operationId);
      expect(problems.map(([status]) => Number(status))).toEqual(problemStatuses(route?.options ?? {}));
      for (const [, response] of problems) expect(response.$ref).toMatch(/^#\/components\/responses\/\w+$/);
    }
    expect(document.components.responses.ServiceUnavailable).toEqual({
      description: expect.any(String),
      headers: { 'Retry-After': expect.any(Object) },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  });

  it('resolves every $ref inside the document', () => {
    // Prepare
    const refs = new Set<string>();
    const collect = (value: unknown) => {
      if (typeof value !== 'object' || value === null) return;
      for (const [key, item] of Object.entries(value)) {
        if (key === '$ref' && typeof item === 'string') refs.add(item);
        else collect(item);
      }
    };

    // Act
    collect(document);

    // Assess
    const unresolved = [...refs].filter((ref) => {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
      return !ref.startsWith('#/') || target === undefined;
    });
    expect(refs.size).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });
});
