import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { subscribe } from '#lib/subscriptions/subscriptions.ts';
import { IdOrUsernameParams } from '#lib/users/schemas.ts';

/** PUT /users/{idOrUsername}/subscription: idempotent; subscribing to yourself is a 400, past the cap a 409. */
export const handler = route(
  {
    params: IdOrUsernameParams,
    responses: { 204: null },
    errors: [403, 409],
    summary: 'Subscribe to a channel',
  },
  async ({ params, caller }) => {
    await subscribe(caller.userId, params.idOrUsername);
    return noContent();
  },
);
