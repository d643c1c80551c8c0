import { blocksOf } from '#lib/blocks/blocks.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { lazySchema } from '#lib/lazy-schema.ts';
import { Page, PageQuery } from '#lib/pagination.ts';
import { PublicProfile } from '#lib/users/schemas.ts';

/** GET /users/me/blocks: the users the caller blocked, latest first. */
export const handler = route(
  {
    query: PageQuery,
    responses: { 200: lazySchema(() => Page(PublicProfile)) },
    summary: 'The users you blocked',
  },
  async ({ query, caller }) => json(200, await blocksOf(caller.userId, query)),
);
