import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type HttpRoute, httpRoutes, projectRoot, readServerlessFunctions } from '../serverless-functions.ts';
import { type DescribedOptions, type DocumentedRoute, openApiDocument } from './document.ts';

/** A route with its handler, as exported by its module. */
export interface RouteWithHandler extends DocumentedRoute {
  handler: (event: never, context: Context) => Promise<unknown>;
}

async function withHandler(route: HttpRoute, root: string): Promise<RouteWithHandler> {
  const module = (await import(pathToFileURL(join(root, route.module)).href)) as Record<string, unknown>;
  const handler = module[route.exportName] as RouteWithHandler['handler'] & {
    routeOptions?: DescribedOptions;
  };
  if (typeof handler !== 'function' || !handler.routeOptions) {
    throw new Error(
      `${route.operationId}: ${route.module} does not export a route() handler as ${route.exportName}`,
    );
  }
  return { ...route, options: handler.routeOptions, handler };
}

/**
 * Every HTTP route of the service with its handler and `routeOptions`, by importing the handler sources. Node
 * only: handlers read their configuration environment at import time.
 *
 * @example
 * const routes = await documentedRoutes();
 * routes.find((route) => route.operationId === 'health')?.options.auth; // 'none'
 */
export async function documentedRoutes(root = projectRoot): Promise<RouteWithHandler[]> {
  const routes = httpRoutes(await readServerlessFunctions(root));
  return Promise.all(routes.map((route) => withHandler(route, root)));
}

/**
 * The one route declared for a method and path template, importing only its handler.
 *
 * @example
 * const route = await documentedRoute('GET', '/api/v1/users/{idOrUsername}');
 */
export async function documentedRoute(method: string, path: string, root = projectRoot) {
  const routes = httpRoutes(await readServerlessFunctions(root));
  const route = routes.find(
    (candidate) => candidate.method === method.toUpperCase() && candidate.path === path,
  );
  return route ? withHandler(route, root) : undefined;
}

/**
 * The OpenAPI document of the service as it is declared now (serverless.yml files + handler schemas).
 *
 * @example
 * await writeFile('openapi.json', JSON.stringify(await generateOpenApiDocument(), null, 2));
 */
export async function generateOpenApiDocument(root = projectRoot) {
  const { version, license } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
  };
  return openApiDocument(await documentedRoutes(root), { version, license });
}
