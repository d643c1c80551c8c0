import { listComments } from '#lib/comments/list-comments.ts';
import { CommentPage, ListCommentsQuery } from '#lib/comments/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { VideoIdParams } from '#lib/videos/schemas.ts';

/** GET /videos/{id}/comments: a page of its comments, or with `status` its moderators' queue. */
export const handler = route(
  {
    auth: 'optional',
    params: VideoIdParams,
    query: ListCommentsQuery,
    responses: { 200: CommentPage },
    errors: [409],
    summary: "List a video's comments (or its held queue)",
  },
  async ({ params, query, caller }) => json(200, await listComments(caller, params.id, query)),
);
