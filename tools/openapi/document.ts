import { STATUS_CODES } from 'node:http';
import { type $ZodType, safeParse } from 'zod/v4/core';
import type { AuthMode } from '#lib/http/authenticate.ts';
import type { RouteOptions } from '#lib/http/route.ts';
import type { HttpRoute } from '../serverless-functions.ts';
import { type JsonSchema, schemaConverter } from './json-schema.ts';
import { PROBLEM_STATUSES, Problem, type ProblemStatus } from './problem-schema.ts';

type Schema = $ZodType | undefined;
export type DescribedOptions = RouteOptions<Schema, Schema, Schema, AuthMode>;

/** A route of the service with the options its handler was built with. */
export interface DocumentedRoute extends HttpRoute {
  options: DescribedOptions;
}

export interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: Record<string, unknown>[];
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: {
    title: string;
    version: string;
    description: string;
    license: { name: string; identifier: string };
  };
  servers: { url: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, Record<string, unknown>>;
    securitySchemes: Record<string, Record<string, unknown>>;
  };
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } };

/**
 * The problem statuses a route can answer, from its options: 400 when it validates input, 401 unless it is public,
 * 403 with a role guard, 404 when it addresses a resource by path, 413/415 with a JSON body, 429 unless it is
 * exempt from rate limits, 503 always (the database), plus what the route declares in `errors`.
 *
 * @example
 * problemStatuses({ auth: 'none', body: LoginRequest, errors: [409] }); // [400, 409, 413, 415, 429, 503]
 */
export function problemStatuses(options: DescribedOptions): ProblemStatus[] {
  const statuses = new Set<number>([503, ...(options.errors ?? [])]);
  if (options.body || options.query || options.params) statuses.add(400);
  if (options.body) for (const status of [413, 415]) statuses.add(status);
  if ((options.auth ?? 'required') !== 'none') statuses.add(401);
  if (options.roles?.length) statuses.add(403);
  if (options.params) statuses.add(404);
  if (options.rateLimit !== 'none') statuses.add(429);
  for (const status of statuses) {
    if (!(status in PROBLEM_STATUSES)) throw new Error(`${status} is not a problem status of this API`);
  }
  return [...statuses].sort((a, b) => a - b) as ProblemStatus[];
}

/**
 * Builds the OpenAPI 3.1 document of the given routes from the zod schemas their handlers validate with.
 *
 * @example
 * const document = openApiDocument(await documentedRoutes(), { version: '0.1.0', license: 'MIT' });
 * document.paths['/api/v1/health'].get.operationId; // 'health'
 */
export function openApiDocument(
  routes: DocumentedRoute[],
  info: { version: string; license: string },
): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const toSchema = schemaConverter(schemas);
  toSchema(Problem, 'output', 'Problem');
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    const operations = paths[route.path] as Record<string, Operation>;
    operations[route.method.toLowerCase()] = operation(route, toSchema);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ClipIQ API',
      version: info.version,
      description:
        'ClipIQ video-sharing backend. JSON in and out; errors are RFC 9457 `application/problem+json`. ' +
        'Bearer access tokens come from /api/v1/auth/register, /login and /refresh.',
      license: { name: info.license, identifier: info.license },
    },
    // Paths carry /api/v1 themselves, so a server is a host: a relative '/' is the host serving this document.
    servers: [
      { url: '/', description: 'the host serving this document' },
      { url: 'http://localhost:3000', description: 'npm start (default HTTP_PORT)' },
    ],
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(
        Object.entries(PROBLEM_STATUSES).map(([status, [name, description]]) => [
          name,
          {
            description,
            ...(status === '429' || status === '503' ? { headers: RETRY_AFTER } : {}),
            content: { 'application/problem+json': { schema: PROBLEM_REF } },
          },
        ]),
      ),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A 15-minute access token (HS256 JWT) from register, login or refresh',
        },
      },
    },
  };
}

type ToSchema = ReturnType<typeof schemaConverter>;

function operation(route: DocumentedRoute, toSchema: ToSchema): Operation {
  const { options, operationId } = route;
  const auth = options.auth ?? 'required';
  const parameters = operationParameters(route, toSchema);
  const body = options.body;
  const responses: Operation['responses'] = {};
  for (const [status, schema] of Object.entries(options.responses ?? { 200: null })) {
    responses[status] = {
      description: STATUS_CODES[Number(status)] ?? status,
      ...(schema
        ? {
            content: {
              'application/json': { schema: toSchema(schema, 'output', `${operationId}.${status}`) },
            },
          }
        : {}),
    };
  }
  for (const status of problemStatuses(options)) {
    responses[status] = { $ref: `#/components/responses/${PROBLEM_STATUSES[status][0]}` };
  }
  const notes = [
    auth === 'optional' ? 'Anonymous calls are allowed; a token, when sent, must be valid.' : undefined,
    options.roles?.length ? `Roles allowed: ${options.roles.join(', ')} (others get 403).` : undefined,
  ].filter(Boolean);
  return {
    operationId,
    ...(options.summary ? { summary: options.summary } : {}),
    ...(notes.length ? { description: notes.join(' ') } : {}),
    tags: [route.module.split('/')[1] ?? 'api'],
    security: auth === 'none' ? [] : auth === 'optional' ? [{ bearerAuth: [] }, {}] : [{ bearerAuth: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: !safeParse(body, undefined).success,
            content: { 'application/json': { schema: toSchema(body, 'input', `${operationId}.body`) } },
          },
        }
      : {}),
    responses,
  };
}

/** Path and query parameters from the `params`/`query` object schemas; every `{name}` of the path is declared. */
function operationParameters(route: DocumentedRoute, toSchema: ToSchema) {
  const { options, operationId, path } = route;
  const templated = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1] as string);
  const parameters: Record<string, unknown>[] = [];
  for (const [location, schema] of [
    ['path', options.params],
    ['query', options.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input', `${operationId}.${location}`);
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) {
      if (location === 'path' && !templated.includes(name)) {
        throw new Error(`${operationId}: params.${name} is not a parameter of the path ${path}`);
      }
      const { description, ...propertySchema } = property;
      parameters.push({
        name,
        in: location,
        required: location === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: propertySchema,
      });
    }
  }
  for (const name of templated) {
    if (parameters.some((parameter) => parameter.in === 'path' && parameter.name === name)) continue;
    parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return parameters;
}
