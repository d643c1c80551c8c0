import middy from '@middy/core';
import { injectLambdaContext, logger } from '#lib/log.ts';
import { admitConnection } from '#lib/realtime/connections.ts';
import { CONNECT_STATUS, connectRequest, type WebSocketEvent } from '#lib/realtime/websocket-event.ts';

/** WebSocket `$connect`: admits a connection with a live ticket from an allowed origin (401 / 403 otherwise). */
export const handler = middy<WebSocketEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => ({ statusCode: CONNECT_STATUS[await admitConnection(connectRequest(event))] }));
