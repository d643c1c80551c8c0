import { deleteComment } from '#lib/comments/manage-comment.ts';
import { CommentIdParams } from '#lib/comments/schemas.ts';
import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** DELETE /comments/{id}: its author, the video's owner or an admin; its replies go with it. */
export const handler = route(
  { params: CommentIdParams, responses: { 204: null }, errors: [403], summary: 'Delete a comment' },
  async ({ params, caller }) => {
    await deleteComment(caller, params.id);
    return noContent();
  },
);
