import { toComment } from '#lib/comments/comment.ts';
import { findVisibleComment } from '#lib/comments/find-comment.ts';
import { Comment, CommentIdParams } from '#lib/comments/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** GET /comments/{id}: one comment the caller may see (an admin reviewing a report sees a removed one too). */
export const handler = route(
  {
    auth: 'optional',
    params: CommentIdParams,
    responses: { 200: Comment },
    errors: [404],
    summary: 'Get a comment',
  },
  async ({ params, caller }) => json(200, toComment(await findVisibleComment(caller, params.id))),
);
