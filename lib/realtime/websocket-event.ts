import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import type { ConnectOutcome } from './connections.ts';

/** A WebSocket API event; `$connect` also carries the upgrade request's headers, in the case the client sent. */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2 & {
  headers?: Record<string, string | undefined>;
};

/** The status `$connect` answers: anything but 2xx refuses the connection with that status. */
export const CONNECT_STATUS: Record<ConnectOutcome, number> = {
  connected: 200,
  'foreign-origin': 403,
  'refused-ticket': 401,
};

/**
 * What `$connect` decides on: the connection, the ticket from the query string and the `Origin` header.
 *
 * @example
 * await admitConnection(connectRequest(event));
 */
export function connectRequest(event: WebSocketEvent) {
  const origin = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];
  return {
    connectionId: event.requestContext.connectionId,
    ticket: event.queryStringParameters?.ticket,
    origin,
  };
}

/**
 * The answer to a client message, sent back on its connection (the route's response), or undefined for none:
 * `{ "action": "ping" }` → `{ type: "pong" }`; anything else is ignored.
 *
 * @example
 * answerMessage('{"action":"ping"}'); // → { type: 'pong' }
 */
export function answerMessage(body: string | undefined): { type: 'pong' } | undefined {
  try {
    const message = JSON.parse(body ?? '') as { action?: unknown } | null;
    return message?.action === 'ping' ? { type: 'pong' } : undefined;
  } catch {
    return undefined;
  }
}
