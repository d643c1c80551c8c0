import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { lazySchema } from '#lib/lazy-schema.ts';
import { Page, PageQuery } from '#lib/pagination.ts';
import { subscriptionsOf } from '#lib/subscriptions/subscriptions.ts';
import { PublicProfile } from '#lib/users/schemas.ts';

/** GET /users/me/subscriptions: the channels the caller subscribes to, latest subscription first. */
export const handler = route(
  {
    query: PageQuery,
    responses: { 200: lazySchema(() => Page(PublicProfile)) },
    summary: 'The channels you subscribe to',
  },
  async ({ query, caller }) => json(200, await subscriptionsOf(caller.userId, query)),
);
