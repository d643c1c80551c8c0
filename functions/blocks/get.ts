import { blockOf } from '#lib/blocks/blocks.ts';
import { BlockedUserParams, BlockState } from '#lib/blocks/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** GET /users/me/blocks/{userId}: whether the caller blocked that user. */
export const handler = route(
  {
    params: BlockedUserParams,
    responses: { 200: BlockState },
    errors: [404],
    summary: 'Whether you blocked a user',
  },
  async ({ params, caller }) => json(200, await blockOf(caller.userId, params.userId)),
);
