import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from '../auth/principal.ts';

/** What the middlewares extract from the API Gateway v2 event, in the order they run. */
export interface RouteInput {
  body?: unknown;
  query?: unknown;
  params?: unknown;
  principal?: Principal;
}

export type RouteEvent = APIGatewayProxyEventV2 & { input?: RouteInput };

export function routeInput(request: middy.Request): RouteInput {
  const event = request.event as RouteEvent;
  event.input ??= {};
  return event.input;
}

/** Header lookup that tolerates callers (tests, proxies) that do not lower-case header names. */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/**
 * API Gateway v2 passes cookies as `["name=value", …]`. Serverless offline, which must not parse cookies itself
 * (it would answer a malformed one), leaves them in the Cookie header instead.
 */
export function cookie(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const prefix = `${name}=`;
  const fromHeader = header(event, 'cookie');
  const found = (event.cookies ?? (fromHeader ? [fromHeader] : []))
    .flatMap((line) => line.split(';'))
    .find((part) => part.trim().startsWith(prefix));
  return found?.trim().slice(prefix.length);
}
