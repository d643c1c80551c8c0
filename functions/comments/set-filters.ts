import { setCommentFilters } from '#lib/comments/comment-filters.ts';
import { CommentFilters } from '#lib/comments/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** PUT /users/me/comment-filters: replaces the words that hold comments on the caller's videos for review. */
export const handler = route(
  { body: CommentFilters, responses: { 200: CommentFilters }, summary: 'Set your watched words' },
  async ({ body, caller }) => json(200, await setCommentFilters(caller.userId, body)),
);
