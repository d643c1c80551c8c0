import { commentFiltersOf } from '#lib/comments/comment-filters.ts';
import { CommentFilters } from '#lib/comments/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** GET /users/me/comment-filters: the words that hold comments on the caller's videos. */
export const handler = route(
  { responses: { 200: CommentFilters }, summary: 'Your watched words' },
  async ({ caller }) => json(200, await commentFiltersOf(caller.userId)),
);
