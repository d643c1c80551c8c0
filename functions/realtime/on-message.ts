import middy from '@middy/core';
import { injectLambdaContext, logger } from '#lib/log.ts';
import { answerMessage, type WebSocketEvent } from '#lib/realtime/websocket-event.ts';

/** WebSocket `$default`: `{ "action": "ping" }` → `{ type: "pong" }` on the same connection. */
export const handler = middy<WebSocketEvent>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const answer = answerMessage(event.body);
    return answer ? { statusCode: 200, body: JSON.stringify(answer) } : { statusCode: 200 };
  });
