import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { markAllNotificationsRead } from '#lib/notifications/inbox.ts';

/** POST /notifications/read-all. */
export const handler = route(
  { responses: { 204: null }, summary: 'Mark all your notifications read' },
  async ({ caller }) => {
    await markAllNotificationsRead(caller.userId);
    return noContent();
  },
);
