import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { markNotificationRead, NotificationIdParams } from '#lib/notifications/inbox.ts';

/** POST /notifications/{id}/read: only the recipient's own; anyone else's is a 404. */
export const handler = route(
  { params: NotificationIdParams, responses: { 204: null }, summary: 'Mark a notification read' },
  async ({ params, caller }) => {
    await markNotificationRead(caller.userId, params.id);
    return noContent();
  },
);
