import type { Context } from 'aws-lambda';
import { type ApiCall, apiGatewayEvent, lambdaContext } from './lambda.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body exactly as the handler returned it (JSON text, or undefined for 204). */
  text: string | undefined;
}

type ApiHandler = (event: never, context: Context) => Promise<unknown>;

/**
 * Invokes a handler with a real API Gateway v2 event and keeps the raw response text, so the oracle can check
 * the bytes a client would receive rather than a re-serialised parse.
 *
 * @example
 * const response = await invokeRaw(handler, { method: 'GET', path: '/api/v1/health' });
 */
export async function invokeRaw(handler: ApiHandler, call: ApiCall): Promise<RawResponse> {
  const response = (await handler(apiGatewayEvent(call) as never, lambdaContext())) as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
  };
  return { status: response.statusCode, headers: response.headers ?? {}, text: response.body };
}

/** What would tell an attacker about the inside: stack frames, file paths, driver and SQL error wording. */
const INTERNALS = [
  /\bat \S+ \(/,
  /\bat (?:async )?file:/,
  /node:internal/,
  /node_modules/,
  /file:\/\//,
  /\.(?:[cm]?js|ts):\d+/,
  /PostgresError|SQLSTATE|syntax error|violates|duplicate key|invalid input syntax|relation "/i,
  /TypeError|ReferenceError|RangeError|SyntaxError|Cannot read propert/,
  new RegExp(process.cwd().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
];
/** Secrets no response may carry, whatever the status: bcrypt hashes and the column that holds them. */
const SECRETS = [/\$2[aby]\$\d\d\$/, /"password_?[hH]ash"\s*:/];

/**
 * Every way a response breaks the API's promises to a hostile client, as readable lines (empty when it keeps
 * them): no 5xx, RFC 9457 problem+json on every 4xx, JSON bodies, nothing internal and no secret in any body,
 * security headers present.
 *
 * @example
 * expect(brokenPromises(await invokeRaw(handler, call))).toEqual([]);
 */
export function brokenPromises(response: RawResponse): string[] {
  const broken: string[] = [];
  const { status, headers, text } = response;
  if (status >= 500) broken.push(`answered ${status}`);
  let body: unknown;
  if (text !== undefined && text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      broken.push('the body is not JSON');
    }
  }
  if (status >= 400) {
    if (headers['content-type'] !== 'application/problem+json') {
      broken.push(`a ${status} with content-type ${headers['content-type']}`);
    }
    const problem = (body ?? {}) as Record<string, unknown>;
    if (typeof problem.type !== 'string' || !problem.type.startsWith('urn:clipiq:problem:'))
      broken.push('a problem without its type');
    if (problem.status !== status) broken.push(`a problem whose status ${problem.status} is not ${status}`);
    if (typeof problem.title !== 'string' || typeof problem.detail !== 'string')
      broken.push('a problem without title or detail');
    for (const pattern of INTERNALS) {
      if (pattern.test(text ?? '')) broken.push(`a problem body that shows internals (${pattern})`);
    }
  }
  for (const pattern of SECRETS)
    if (pattern.test(text ?? '')) broken.push(`a body with a secret (${pattern})`);
  if (headers['x-content-type-options'] !== 'nosniff') broken.push('no security headers');
  return broken;
}

const objectPrototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join();

/** Whether anything was added to `Object.prototype` (prototype pollution through a request). */
export function prototypePolluted() {
  return Object.getOwnPropertyNames(Object.prototype).sort().join() !== objectPrototypeKeys;
}

/** What an HTTP client can put in a header (RFC 9110 field-value): tab, visible Latin-1, inner spaces. */
const sendableHeader = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?').trim();

/**
 * Sends the same call over HTTP to a running API (`npm start`, `http://127.0.0.1:3000`) and keeps the raw
 * response text, as {@link invokeRaw} does for a handler in-process.
 *
 * @example
 * const response = await invokeOverHttp('http://127.0.0.1:3000', { method: 'GET', path: '/api/v1/health' });
 */
export async function invokeOverHttp(
  baseUrl: string,
  call: ApiCall,
  timeoutMs = 30_000,
): Promise<RawResponse> {
  const event = apiGatewayEvent(call);
  const { host: _, 'content-length': __, ...headers } = event.headers as Record<string, string>;
  if (event.cookies) headers.cookie = event.cookies.join('; ');
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const response = await fetch(`${baseUrl}${event.rawPath}${query}`, {
    method: event.requestContext.http.method,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, sendableHeader(value)]),
    ),
    ...(event.body !== undefined && !['GET', 'HEAD'].includes(event.requestContext.http.method)
      ? { body: event.body }
      : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    text: text === '' ? undefined : text,
  };
}
