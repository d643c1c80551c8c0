import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { unsubscribe } from '#lib/subscriptions/subscriptions.ts';
import { IdOrUsernameParams } from '#lib/users/schemas.ts';

/** DELETE /users/{idOrUsername}/subscription: idempotent. */
export const handler = route(
  { params: IdOrUsernameParams, responses: { 204: null }, summary: 'Unsubscribe from a channel' },
  async ({ params, caller }) => {
    await unsubscribe(caller.userId, params.idOrUsername);
    return noContent();
  },
);
