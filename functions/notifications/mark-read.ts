import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { markNotificationRead } from '#lib/notifications/inbox.ts';
import { NotificationIdParams } from '#lib/notifications/schemas.ts';

/** POST /notifications/{id}/read: only the recipient's own; anyone else's is a 404. */
export const handler = route(
  { params: NotificationIdParams, responses: { 204: null }, summary: 'Mark a notification read' },
  async ({ params, caller }) => {
    await markNotificationRead(caller.userId, params.id);
    return noContent();
  },
);
