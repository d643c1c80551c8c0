import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.ts';

/** `POST /realtime/tickets`: the WebSocket URL carrying a single-use ticket, and when the ticket lapses. */
export const RealtimeTicket = /* @__PURE__ */ lazySchema(() =>
  z.object({ url: z.url(), expiresAt: z.iso.datetime() }),
);
export type RealtimeTicket = z.infer<typeof RealtimeTicket>;
