import { rejectComment } from '#lib/comments/manage-comment.ts';
import { CommentIdParams } from '#lib/comments/schemas.ts';
import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** POST /comments/{id}/reject: the video's owner or an admin deletes a held comment. */
export const handler = route(
  { params: CommentIdParams, responses: { 204: null }, errors: [403, 409], summary: 'Reject a held comment' },
  async ({ params, caller }) => {
    await rejectComment(caller, params.id);
    return noContent();
  },
);
