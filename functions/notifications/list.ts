import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { inboxOf } from '#lib/notifications/inbox.ts';
import { Inbox, InboxQuery } from '#lib/notifications/schemas.ts';

/** GET /notifications: the caller's notifications, newest first, with the unread count. */
export const handler = route(
  {
    query: InboxQuery,
    responses: { 200: Inbox },
    summary: 'Your notifications',
  },
  async ({ query, caller }) => json(200, await inboxOf(caller.userId, query)),
);
