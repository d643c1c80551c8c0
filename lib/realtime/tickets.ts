import { createHash, randomBytes } from 'node:crypto';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import type { RealtimeTicket } from './schemas.ts';

/** A ticket only has to outlive the moment between asking for it and opening the WebSocket. */
export const TICKET_LIFETIME_SECONDS = 60;

const digest = (ticket: string) => createHash('sha256').update(ticket, 'utf8').digest();

/**
 * Issues a single-use ticket for the user and returns the WebSocket URL carrying it: browsers cannot set headers on
 * a WebSocket, and an access token in a URL would outlive the connection in logs, so the URL carries this instead.
 * Only its SHA-256 digest is stored.
 *
 * @example
 * const { url, expiresAt } = await issueTicket(caller.userId); // url: ws://127.0.0.1:3001/?ticket=…
 */
export async function issueTicket(userId: string): Promise<RealtimeTicket> {
  const ticket = randomBytes(32).toString('base64url');
  const [issued] = await sql<{ expiresAt: Date }[]>`
    insert into realtime_tickets (ticket_hash, user_id, expires_at)
    values (${digest(ticket)}, ${userId}, now() + make_interval(secs => ${TICKET_LIFETIME_SECONDS}))
    returning expires_at
  `;
  const url = new URL(config.websocketUrl);
  url.searchParams.set('ticket', ticket);
  return { url: url.href, expiresAt: (issued as { expiresAt: Date }).expiresAt.toISOString() };
}

/**
 * Spends a ticket and registers the connection as its user, in one statement: the DELETE is the single-use
 * guarantee (of two connects with one ticket, exactly one finds it), and an expired ticket is spent and refused.
 * Returns the user, or undefined when the ticket is unknown, used or expired.
 *
 * @example
 * const userId = await connectWithTicket(ticket, event.requestContext.connectionId);
 */
export async function connectWithTicket(ticket: string, connectionId: string): Promise<string | undefined> {
  const [connected] = await sql<{ userId: string }[]>`
    with spent as (
      delete from realtime_tickets where ticket_hash = ${digest(ticket)} returning user_id, expires_at
    )
    insert into realtime_connections (connection_id, user_id)
    select ${connectionId}, user_id from spent where expires_at > now()
    on conflict (connection_id) do nothing
    returning user_id
  `;
  return connected?.userId;
}

/**
 * Deletes tickets that lapsed before `now` (spent ones are already gone).
 *
 * @example
 * await pruneExpiredTickets(new Date()); // → 3
 */
export async function pruneExpiredTickets(now: Date): Promise<number> {
  const pruned = await sql`delete from realtime_tickets where expires_at < ${now}`;
  return pruned.count;
}
