import { editComment } from '#lib/comments/manage-comment.ts';
import { Comment, CommentIdParams, EditCommentRequest } from '#lib/comments/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** PATCH /comments/{id}: its author changes its text. */
export const handler = route(
  {
    params: CommentIdParams,
    body: EditCommentRequest,
    responses: { 200: Comment },
    errors: [403],
    summary: 'Edit your comment',
  },
  async ({ params, body, caller }) => json(200, await editComment(caller, params.id, body)),
);
