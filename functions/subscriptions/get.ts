import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { SubscriptionState } from '#lib/subscriptions/schemas.ts';
import { subscriptionTo } from '#lib/subscriptions/subscriptions.ts';
import { IdOrUsernameParams } from '#lib/users/schemas.ts';

/** GET /users/{idOrUsername}/subscription: whether the caller follows the channel. */
export const handler = route(
  {
    params: IdOrUsernameParams,
    responses: { 200: SubscriptionState },
    errors: [404],
    summary: 'Whether you follow a channel',
  },
  async ({ params, caller }) => json(200, await subscriptionTo(caller.userId, params.idOrUsername)),
);
