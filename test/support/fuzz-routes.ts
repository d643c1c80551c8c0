import { documentedRoutes, type RouteWithHandler } from '#tools/openapi/route-table.ts';
import { type ApiCall, callApi } from './lambda.ts';

let loaded: Promise<RouteWithHandler[]> | undefined;

/**
 * Every HTTP route of serverless.yml with its handler and options (read once per test file), so that tests
 * driven by it cover a new endpoint without being edited.
 *
 * @example
 * const routes = await serviceRoutes();
 */
export function serviceRoutes() {
  loaded ??= documentedRoutes();
  return loaded;
}

export const routeName = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

/**
 * The route called `name` (`'GET /api/v1/health'`) among `routes`; throws when there is none.
 *
 * @example
 * const health = findRoute(await serviceRoutes(), 'GET /api/v1/health');
 */
export function findRoute(routes: readonly RouteWithHandler[], name: string) {
  const found = routes.find((candidate) => routeName(candidate) === name);
  if (!found) throw new Error(`no route ${name}`);
  return found;
}

/** The `{name}` parameters of a path template, in order. */
export function parameterNames(template: string) {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
}

/** The concrete path of a template, each `{name}` replaced by its value, percent-encoded as it would travel. */
export function concretePath(template: string, values: Record<string, string>) {
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent((values[name] ?? '').toWellFormed()),
  );
}

/** Whether a route answers callers without a token. */
export const isPublic = (route: RouteWithHandler) =>
  route.options.auth === 'none' || route.options.auth === 'optional';

/**
 * Calls a route of the table with its path parameters filled in, e.g. every `{id}` with one video id.
 *
 * @example
 * await callRoute(route, { id: video.id, uploadId }, { token: viewer.accessToken });
 */
export function callRoute(route: RouteWithHandler, values: Record<string, string>, call: ApiCall = {}) {
  const names = parameterNames(route.path);
  return callApi(route.handler, {
    method: route.method,
    path: concretePath(route.path, values),
    ...(names.length > 0
      ? { pathParameters: Object.fromEntries(names.map((name) => [name, values[name] ?? ''])) }
      : {}),
    ...call,
  });
}
