import { blockUser } from '#lib/blocks/blocks.ts';
import { BlockedUserParams } from '#lib/blocks/schemas.ts';
import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** PUT /users/me/blocks/{userId}: idempotent; their subscription to the caller ends. */
export const handler = route(
  { params: BlockedUserParams, responses: { 204: null }, summary: 'Block a user' },
  async ({ params, caller }) => {
    await blockUser(caller.userId, params.userId);
    return noContent();
  },
);
