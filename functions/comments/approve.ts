import { approveComment } from '#lib/comments/manage-comment.ts';
import { CommentIdParams } from '#lib/comments/schemas.ts';
import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** POST /comments/{id}/approve: the video's owner or an admin publishes a held comment. */
export const handler = route(
  {
    params: CommentIdParams,
    responses: { 204: null },
    errors: [403, 409],
    summary: 'Approve a held comment',
  },
  async ({ params, caller }) => {
    await approveComment(caller, params.id);
    return noContent();
  },
);
