import { listReplies } from '#lib/comments/list-comments.ts';
import { CommentIdParams, CommentPage } from '#lib/comments/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { PageQuery } from '#lib/pagination.ts';

/** GET /comments/{id}/replies: its replies, oldest first. */
export const handler = route(
  {
    auth: 'optional',
    params: CommentIdParams,
    query: PageQuery,
    responses: { 200: CommentPage },
    summary: "List a comment's replies",
  },
  async ({ params, query, caller }) => json(200, await listReplies(caller, params.id, query)),
);
