import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { logger } from '../log.ts';
import {
  inboxItemColumns,
  inboxItemSources,
  type NotificationRow,
  stillVisible,
  toNotification,
} from '../notifications/inbox.ts';
import { forgetConnections } from './connections.ts';

/** Sends in flight at once: a slow connection holds one slot, never the push. */
const CONCURRENCY = 32;
/** One send's budget. */
const SEND_TIMEOUT_MS = 1_000;
/**
 * The whole push's budget: past it, or once {@link CONCURRENCY} sends in a row failed (the endpoint is down or
 * stalled: about one send timeout), the remaining messages are dropped and counted as failed.
 */
const PUSH_DEADLINE_MS = 10_000;

/** One message to one open WebSocket. */
export interface Delivery {
  connectionId: string;
  message: unknown;
}

/** What a push did: sent, found gone (410, now forgotten), failed, or dropped at its deadline. */
export interface PushSummary {
  sent: number;
  gone: number;
  failed: number;
}

const management = new URL(config.websocketUrl);
const local = management.protocol === 'ws:';
management.protocol = local ? 'http:' : 'https:';

/**
 * API Gateway's management API for the WebSocket API (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`),
 * or serverless offline's `@connections` endpoint on the local WebSocket server.
 */
const connections = new ApiGatewayManagementApiClient({
  endpoint: management.href.replace(/\/$/, ''),
  // Lambda sets AWS_REGION; the region is part of the signature only.
  region: process.env.AWS_REGION || 'us-east-1',
  // serverless offline checks no signature (a developer's machine may have no AWS credentials at all): unsigned.
  ...(local
    ? {
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        signer: { sign: async (request: unknown) => request } as never,
      }
    : {}),
  maxAttempts: 1,
});

const isGone = (error: unknown) => {
  const shape = (error ?? {}) as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return shape.name === 'GoneException' || shape.$metadata?.httpStatusCode === 410;
};

/**
 * Sends every delivery, at most {@link CONCURRENCY} at a time, until {@link PUSH_DEADLINE_MS}; forgets the
 * connections API Gateway answers 410 for. Never throws: a push must not fail the operation that caused it.
 */
export async function deliver(deliveries: readonly Delivery[]): Promise<PushSummary> {
  const summary: PushSummary = { sent: 0, gone: 0, failed: 0 };
  const gone: string[] = [];
  const deadline = Date.now() + PUSH_DEADLINE_MS;
  let next = 0;
  let failuresInARow = 0;
  const sender = async () => {
    while (next < deliveries.length && Date.now() < deadline && failuresInARow < CONCURRENCY) {
      const { connectionId, message } = deliveries[next++] as Delivery;
      try {
        await connections.send(
          new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }),
          { abortSignal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
        );
        summary.sent += 1;
        failuresInARow = 0;
      } catch (error) {
        if (isGone(error)) {
          gone.push(connectionId);
          failuresInARow = 0;
        } else {
          summary.failed += 1;
          failuresInARow += 1;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, deliveries.length) }, sender));
  summary.gone = gone.length;
  summary.failed += deliveries.length - next;
  await forgetConnections(gone).catch((error: unknown) =>
    logger.warn('Could not forget gone WebSocket connections', { error: error as Error }),
  );
  if (summary.failed > 0) logger.warn('Some real-time messages were not delivered', { ...summary });
  return summary;
}

/**
 * Runs a push, logging instead of throwing: the notification or status change it follows already happened.
 *
 * @example
 * return guarded('video.updated', async () => deliver(deliveries));
 */
export async function guarded(what: string, push: () => Promise<PushSummary>): Promise<PushSummary> {
  try {
    return await push();
  } catch (error) {
    logger.warn('A real-time push failed; its subject is unaffected', { what, error: error as Error });
    return { sent: 0, gone: 0, failed: 1 };
  }
}

/**
 * Pushes each notification, as its inbox item, to its recipient's open connections:
 * `{ type: "notification", notification }`. One query joins the notifications to the open connections, so a
 * recipient with no open connection costs nothing more. Never throws.
 *
 * @example
 * const ids = await insertCommentNotifications(…);
 * await pushNotifications(ids); // → { sent: 2, gone: 0, failed: 0 }
 */
export function pushNotifications(notificationIds: readonly string[]): Promise<PushSummary> {
  return guarded('notifications', async () => {
    if (notificationIds.length === 0) return { sent: 0, gone: 0, failed: 0 };
    const rows = await sql<(NotificationRow & { connectionId: string })[]>`
      select c.connection_id, ${inboxItemColumns}
      from ${inboxItemSources}
      join realtime_connections c on c.user_id = n.recipient_id
      where n.id = any(${notificationIds as string[]}) and ${stillVisible}
    `;
    return deliver(
      rows.map((row) => ({
        connectionId: row.connectionId,
        message: { type: 'notification', notification: toNotification(row) },
      })),
    );
  });
}
