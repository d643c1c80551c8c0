import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

/** A Lambda context as the runtime passes it (`injectLambdaContext` reads the request id and function name from it). */
export function lambdaContext(functionName = 'clipiq-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 15_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface ApiCall {
  method?: string;
  /** The concrete path, for the event's rawPath; handlers read `pathParameters`. */
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** Serialised as JSON with `content-type: application/json` unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string;
  cookies?: string[];
  sourceIp?: string;
}

/** A real API Gateway HTTP API (payload format 2.0) event. */
export function apiGatewayEvent(call: ApiCall): APIGatewayProxyEventV2 {
  const method = call.method ?? 'GET';
  const path = call.path ?? '/';
  const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const headers: Record<string, string> = {
    host: 'api.clipiq.test',
    'user-agent': 'vitest',
    ...(call.body !== undefined && call.rawBody === undefined ? { 'content-type': 'application/json' } : {}),
    ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
    ...Object.fromEntries(
      Object.entries(call.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]),
    ),
  };
  const rawQueryString = new URLSearchParams(call.query ?? {}).toString();
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString,
    headers,
    ...(call.cookies ? { cookies: call.cookies } : {}),
    ...(call.query ? { queryStringParameters: call.query } : {}),
    ...(call.pathParameters ? { pathParameters: call.pathParameters } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'clipiq',
      domainName: 'api.clipiq.test',
      domainPrefix: 'api',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: call.sourceIp ?? '203.0.113.10',
        userAgent: 'vitest',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}

export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: T;
}

type ApiHandler = (event: never, context: Context) => Promise<unknown>;

/**
 * Invokes an HTTP handler in-process with a real API Gateway v2 event and parses the JSON response.
 *
 * @example
 * const { status, body } = await callApi(register, { method: 'POST', body: { email, password, username } });
 */
export async function callApi<T = Record<string, unknown>>(
  handler: ApiHandler,
  call: ApiCall = {},
): Promise<ApiResult<T>> {
  const response = (await handler(apiGatewayEvent(call) as never, lambdaContext())) as {
    statusCode: number;
    headers?: Record<string, string>;
    cookies?: string[];
    body?: string;
  };
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    cookies: response.cookies ?? [],
    body: (response.body ? JSON.parse(response.body) : undefined) as T,
  };
}
