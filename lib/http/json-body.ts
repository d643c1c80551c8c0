import type middy from '@middy/core';
import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from '../errors.ts';
import { header, type RouteEvent, routeInput } from './event.ts';

export interface JsonBodyOptions {
  maxBytes: number;
  /** Nesting deeper than this is refused: no request body of ours needs it, and deep JSON is a parser attack. */
  maxDepth?: number;
}

/** Parses a JSON request body after checking its size (413) and media type (415), before any other work. */
export function jsonBody(options: JsonBodyOptions): middy.MiddlewareObj {
  const { maxBytes, maxDepth } = { maxDepth: 16, ...options };
  const parseJsonBody: middy.MiddlewareFn = (request) => {
    const event = request.event as RouteEvent;
    if (event.body === undefined || event.body === null || event.body === '') return;
    const declaredLength = Number(header(event, 'content-length') ?? 0);
    // API Gateway always sends text; serverless offline (npm start) hands a JSON `0` or `false` over parsed.
    const text = typeof event.body === 'string' ? event.body : JSON.stringify(event.body);
    const raw = event.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
    if (declaredLength > maxBytes || raw.length > maxBytes) {
      throw new PayloadTooLarge(`The request body is larger than ${maxBytes} bytes`);
    }
    const contentType = header(event, 'content-type') ?? '';
    if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) {
      throw new UnsupportedMediaType('The request body must be application/json');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new BadRequest('The request body is not valid JSON');
    }
    if (depthOf(body, maxDepth) > maxDepth)
      throw new BadRequest(`The request body is nested deeper than ${maxDepth}`);
    routeInput(request).body = body;
  };
  return { before: parseJsonBody };
}

function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || typeof value !== 'object' || value === null) return depth;
  let deepest = depth + 1;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(child, limit, depth + 1));
    if (deepest > limit) break;
  }
  return deepest;
}
