import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { RealtimeTicket } from '#lib/realtime/schemas.ts';
import { issueTicket } from '#lib/realtime/tickets.ts';

/** POST /realtime/tickets: a WebSocket URL with a single-use ticket, valid for 60 s, bound to the caller. */
export const handler = route(
  { responses: { 201: RealtimeTicket }, summary: 'Get a WebSocket URL for real-time messages' },
  async ({ caller }) => json(201, await issueTicket(caller.userId)),
);
