import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

/** One function as declared in a `functions/<area>/serverless.yml` file (only the keys read here are typed). */
export interface FunctionDeclaration {
  handler: string;
  events?: Record<string, unknown>[];
  [key: string]: unknown;
}

/** An `httpApi` event of a function, with the handler module that serves it. */
export interface HttpRoute {
  /** The serverless function key, unique across the service: the OpenAPI operationId. */
  operationId: string;
  method: string;
  /** API Gateway path, `{param}` syntax as declared. */
  path: string;
  /** Source module of the handler, relative to the project root (`functions/auth/login.ts`). */
  module: string;
  exportName: string;
}

const FILE_VARIABLE = /^\$\{file\(([^)]+)\)\}$/;

/**
 * The service's functions, merged from the files the root `serverless.yml` lists under `functions:` (the same
 * merge the framework does, without resolving any other variable).
 *
 * @example
 * const functions = await readServerlessFunctions();
 * functions.health.handler; // 'dist/functions/health/get.handler'
 */
export async function readServerlessFunctions(root = projectRoot) {
  const service = load(await readFile(join(root, 'serverless.yml'), 'utf8')) as { functions?: unknown };
  const entries = Array.isArray(service.functions) ? service.functions : [service.functions ?? {}];
  const functions: Record<string, FunctionDeclaration> = {};
  for (const entry of entries) {
    const file = typeof entry === 'string' ? FILE_VARIABLE.exec(entry)?.[1] : undefined;
    if (typeof entry === 'string' && !file)
      throw new Error(`serverless.yml: cannot read functions entry ${entry}`);
    const declared = file ? load(await readFile(join(root, file), 'utf8'), { filename: file }) : entry;
    for (const [key, declaration] of Object.entries(
      (declared ?? {}) as Record<string, FunctionDeclaration>,
    )) {
      if (functions[key]) throw new Error(`serverless.yml: function ${key} is declared twice`);
      functions[key] = declaration;
    }
  }
  return functions;
}

/**
 * Every `httpApi` event of the given functions, sorted by path then method.
 *
 * @example
 * httpRoutes(await readServerlessFunctions()); // [{ operationId: 'health', method: 'GET', path: '/api/v1/health', … }]
 */
export function httpRoutes(functions: Record<string, FunctionDeclaration>): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const [operationId, declaration] of Object.entries(functions)) {
    for (const event of declaration.events ?? []) {
      if (!('httpApi' in event)) continue;
      const { method, path } = httpApiEvent(operationId, event.httpApi);
      routes.push({
        operationId,
        method,
        path,
        module: handlerModule(declaration.handler),
        exportName: declaration.handler.slice(declaration.handler.lastIndexOf('.') + 1),
      });
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/**
 * The source module of a bundled handler.
 *
 * @example
 * handlerModule('dist/functions/videos/create.handler'); // 'functions/videos/create.ts'
 */
export function handlerModule(handler: string) {
  return `${handler.slice(0, handler.lastIndexOf('.')).replace(/^dist\//, '')}.ts`;
}

/** Both forms the framework accepts: `{ method, path }` and `'GET /path'`. */
function httpApiEvent(operationId: string, event: unknown) {
  const [method, path] =
    typeof event === 'string'
      ? event.split(/\s+/)
      : [(event as { method?: string }).method, (event as { path?: string }).path];
  if (!method || !path || method === '*' || path === '*') {
    throw new Error(`${operationId}: an httpApi event needs an explicit method and path to be documented`);
  }
  return { method: method.toUpperCase(), path };
}
