import { unblockUser } from '#lib/blocks/blocks.ts';
import { BlockedUserParams } from '#lib/blocks/schemas.ts';
import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** DELETE /users/me/blocks/{userId}: idempotent. */
export const handler = route(
  { params: BlockedUserParams, responses: { 204: null }, summary: 'Unblock a user' },
  async ({ params, caller }) => {
    await unblockUser(caller.userId, params.userId);
    return noContent();
  },
);
