import type postgres from 'postgres';
import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import {
  afterCursor,
  decodeCursor,
  type Page,
  type PageQuery,
  pageLimit,
  TimeCursor,
  toPage,
} from '../pagination.ts';
import { canManage } from '../videos/find-video.ts';
import { findWatchableVideo } from '../videos/watchable-video.ts';
import { type CommentRow, commentSelect, shownTo, toComment } from './comment.ts';
import { findVisibleComment } from './find-comment.ts';
import type { Comment, ListCommentsQuery } from './schemas.ts';

/**
 * The SQL of one page of comments matching `where`, by `created_at` then id, newest or oldest first: a video's
 * published top-level comments walk `comments_video_published_idx` (backwards for oldest first), its queues
 * `comments_video_idx`, a comment's replies `comments_replies_idx`.
 */
function commentsPageQuery(request: {
  where: postgres.Fragment;
  oldestFirst: boolean;
  limit: number;
  after?: TimeCursor;
}) {
  const order = request.oldestFirst ? 'asc' : 'desc';
  return sql<CommentRow[]>`
    ${commentSelect}
    where ${request.where} ${afterCursor(sql`c.created_at, c.id`, request.after, order)}
    order by c.created_at ${sql.unsafe(order)}, c.id ${sql.unsafe(order)}
    ${pageLimit(request.limit)}
  `;
}

/**
 * A page of a video the caller may watch: its published top-level comments, newest (or oldest) first; with
 * `status=held` its held comments and replies, for its owner and admins; with `status=removed` the ones taken down,
 * for admins. Anyone else asking for a queue gets the 404 of a missing video.
 *
 * @example
 * const page = await listComments(caller, videoId, { limit: 20, sort: 'newest', status: 'published' });
 */
export async function listComments(
  caller: Principal | undefined,
  videoId: string,
  query: ListCommentsQuery,
): Promise<Page<Comment>> {
  const video = await findWatchableVideo(caller, videoId);
  const after = decodeCursor(query.cursor, TimeCursor);
  let where: postgres.Fragment;
  if (query.status === 'published') {
    // Comments by users the owner blocked are shown to nobody but their author.
    where = sql`c.video_id = ${videoId} and c.parent_id is null and c.status = 'published'
      and ${shownTo(caller?.userId, video.ownerId)}`;
  } else {
    const allowed = query.status === 'held' ? canManage(caller, video) : caller?.role === 'admin';
    if (!allowed) throw new NotFound('No video with this id');
    where = sql`c.video_id = ${videoId} and c.status = ${query.status}`;
  }
  const rows = await commentsPageQuery({
    where,
    oldestFirst: query.sort === 'oldest',
    limit: query.limit,
    after,
  });
  return toPage(rows, query.limit, (row) => row.sortKey, toComment);
}

/**
 * A page of a visible comment's published replies, oldest first (replies by users the video's owner blocked are
 * shown only to their author).
 *
 * @example
 * const page = await listReplies(caller, commentId, { limit: 20 });
 */
export async function listReplies(
  caller: Principal | undefined,
  commentId: string,
  query: PageQuery,
): Promise<Page<Comment>> {
  const comment = await findVisibleComment(caller, commentId);
  const after = decodeCursor(query.cursor, TimeCursor);
  const rows = await commentsPageQuery({
    where: sql`c.parent_id = ${commentId} and c.status = 'published' and ${shownTo(caller?.userId, comment.video.ownerId)}`,
    oldestFirst: true,
    limit: query.limit,
    after,
  });
  return toPage(rows, query.limit, (row) => row.sortKey, toComment);
}
