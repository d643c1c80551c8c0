import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type ApiResponse = APIGatewayProxyStructuredResultV2 & { headers?: Record<string, string> };

/** A JSON response; `init.cookies` become `Set-Cookie` headers through API Gateway v2's `cookies` field. */
export function json(
  statusCode: number,
  body: unknown,
  init: { headers?: Record<string, string>; cookies?: string[] } = {},
) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...init.headers },
    body: JSON.stringify(body),
    ...(init.cookies ? { cookies: init.cookies } : {}),
  } satisfies ApiResponse;
}

export function noContent(init: { headers?: Record<string, string>; cookies?: string[] } = {}) {
  return {
    statusCode: 204,
    headers: { ...init.headers },
    ...(init.cookies ? { cookies: init.cookies } : {}),
  } satisfies ApiResponse;
}
