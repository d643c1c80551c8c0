import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { connectWithTicket } from './tickets.ts';

/** API Gateway closes every WebSocket after two hours; a row older than that missed its `$disconnect`. */
export const MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;

export type ConnectOutcome = 'connected' | 'foreign-origin' | 'refused-ticket';

/**
 * Admits a WebSocket at `$connect`: a browser page from an origin outside `CORS_ORIGINS` is refused (cross-site
 * WebSocket hijacking), then the ticket is spent and the connection registered as the ticket's user. A client that
 * sends no `Origin` is no browser, and could claim any origin: its ticket alone decides.
 *
 * @example
 * const outcome = await admitConnection({ connectionId, ticket: query.ticket, origin: headers.origin });
 */
export async function admitConnection(request: {
  connectionId: string;
  ticket: string | undefined;
  origin: string | undefined;
}): Promise<ConnectOutcome> {
  if (request.origin !== undefined && !config.corsOrigins.includes(request.origin)) return 'foreign-origin';
  if (!request.ticket) return 'refused-ticket';
  const userId = await connectWithTicket(request.ticket, request.connectionId);
  return userId ? 'connected' : 'refused-ticket';
}

/**
 * Forgets connections that closed (`$disconnect`) or that a push found gone (410).
 *
 * @example
 * await forgetConnections([event.requestContext.connectionId]);
 */
export async function forgetConnections(connectionIds: readonly string[]): Promise<void> {
  if (connectionIds.length === 0) return;
  await sql`delete from realtime_connections where connection_id = any(${connectionIds as string[]})`;
}

/**
 * Deletes the connections opened longer ago than API Gateway lets one live, as of `now`: their `$disconnect` was lost.
 *
 * @example
 * await pruneStaleConnections(new Date()); // → 2
 */
export async function pruneStaleConnections(now: Date): Promise<number> {
  const pruned = await sql`
    delete from realtime_connections where connected_at < ${new Date(now.getTime() - MAX_CONNECTION_MS)}
  `;
  return pruned.count;
}
