import { handler as approve } from '#functions/comments/approve.ts';
import { handler as remove } from '#functions/comments/delete.ts';
import { handler as edit } from '#functions/comments/edit.ts';
import { handler as get } from '#functions/comments/get.ts';
import { handler as list } from '#functions/comments/list.ts';
import { handler as listReplies } from '#functions/comments/list-replies.ts';
import { handler as post } from '#functions/comments/post.ts';
import { handler as reject } from '#functions/comments/reject.ts';
import { handler as setFilters } from '#functions/comments/set-filters.ts';
import type { Comment } from '#lib/comments/schemas.ts';
import { sql } from '#lib/db.ts';
import { callApi } from './lambda.ts';

export type CommentPageBody = { items: Comment[]; nextCursor: string | null };

/** The comment routes, called through their handlers as API Gateway would. */
export const commentCalls = {
  post: (videoId: string, token: string | undefined, body: unknown) =>
    callApi<Comment>(post, {
      method: 'POST',
      path: `/api/v1/videos/${videoId}/comments`,
      pathParameters: { id: videoId },
      body,
      token,
    }),
  list: (videoId: string, token?: string, query: Record<string, string> = {}) =>
    callApi<CommentPageBody>(list, {
      path: `/api/v1/videos/${videoId}/comments`,
      pathParameters: { id: videoId },
      query,
      token,
    }),
  replies: (commentId: string, token?: string, query: Record<string, string> = {}) =>
    callApi<CommentPageBody>(listReplies, {
      path: `/api/v1/comments/${commentId}/replies`,
      pathParameters: { id: commentId },
      query,
      token,
    }),
  get: (commentId: string, token?: string) =>
    callApi<Comment>(get, {
      path: `/api/v1/comments/${commentId}`,
      pathParameters: { id: commentId },
      token,
    }),
  edit: (commentId: string, token: string | undefined, body: unknown) =>
    callApi<Comment>(edit, {
      method: 'PATCH',
      path: `/api/v1/comments/${commentId}`,
      pathParameters: { id: commentId },
      body,
      token,
    }),
  delete: (commentId: string, token?: string) =>
    callApi(remove, {
      method: 'DELETE',
      path: `/api/v1/comments/${commentId}`,
      pathParameters: { id: commentId },
      token,
    }),
  approve: (commentId: string, token?: string) =>
    callApi(approve, {
      method: 'POST',
      path: `/api/v1/comments/${commentId}/approve`,
      pathParameters: { id: commentId },
      token,
    }),
  reject: (commentId: string, token?: string) =>
    callApi(reject, {
      method: 'POST',
      path: `/api/v1/comments/${commentId}/reject`,
      pathParameters: { id: commentId },
      token,
    }),
  setFilters: (token: string | undefined, body: unknown) =>
    callApi<{ words: string[] }>(setFilters, {
      method: 'PUT',
      path: '/api/v1/users/me/comment-filters',
      body,
      token,
    }),
};

/**
 * Inserts a comment straight into the database (counters follow through the triggers), for tests of what comes
 * after posting.
 *
 * @example
 * const id = await createComment(author, video, { status: 'held' });
 */
export async function createComment(
  author: { id: string },
  video: { id: string },
  overrides: {
    parentId?: string;
    status?: 'published' | 'held' | 'removed';
    body?: string;
    createdAt?: Date;
  } = {},
) {
  const [row] = await sql<{ id: string }[]>`
    insert into comments (video_id, parent_id, author_id, body, status, created_at)
    values (${video.id}, ${overrides.parentId ?? null}, ${author.id}, ${overrides.body ?? 'A comment'},
            ${overrides.status ?? 'published'}, ${overrides.createdAt ?? new Date()})
    returning id
  `;
  return (row as { id: string }).id;
}

/** A video's comment counter and a comment's reply counter as stored. */
export async function commentCounters(videoId: string, commentId?: string) {
  const [video] = await sql<
    { commentCount: number }[]
  >`select comment_count from videos where id = ${videoId}`;
  const [comment] = commentId
    ? await sql<{ replyCount: number }[]>`select reply_count from comments where id = ${commentId}`
    : [];
  return { commentCount: Number(video?.commentCount), replyCount: comment?.replyCount };
}
