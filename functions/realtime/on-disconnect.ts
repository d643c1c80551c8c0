import middy from '@middy/core';
import { injectLambdaContext, logger } from '#lib/log.ts';
import { forgetConnections } from '#lib/realtime/connections.ts';
import type { WebSocketEvent } from '#lib/realtime/websocket-event.ts';

/** WebSocket `$disconnect`: the connection closed (either side, or API Gateway's time limits); pushes skip it. */
export const handler = middy<WebSocketEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    await forgetConnections([event.requestContext.connectionId]);
    return { statusCode: 200 };
  });
