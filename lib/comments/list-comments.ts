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
 * The SQL of one page of a video's top-level published comments, walking `comments_video_published_idx` (backwards
 * for oldest first); comments whose author the owner blocked are left out for everyone but that author.
 */
export function commentsPageQuery(request: {
  videoId: string;
  videoOwnerId: string;
  callerId?: string;
  oldestFirst: boolean;
  limit: number;
  after?: TimeCursor;
}) {
  const order = request.oldestFirst ? 'asc' : 'desc';
  return sql<CommentRow[]>`
    ${commentSelect}
    where c.video_id = ${request.videoId} and c.parent_id is null and c.status = 'published'
      and ${shownTo(request.callerId, request.videoOwnerId)}
      ${afterCursor(sql`c.created_at, c.id`, request.after, order)}
    order by c.created_at ${sql.unsafe(order)}, c.id ${sql.unsafe(order)}
    ${pageLimit(request.limit)}
  `;
}

/** The held (or, for admins, removed) comments and replies of a video: its moderators' queue. */
function moderationQueueQuery(request: {
  videoId: string;
  status: 'held' | 'removed';
  oldestFirst: boolean;
  limit: number;
  after?: TimeCursor;
}) {
  const order = request.oldestFirst ? 'asc' : 'desc';
  return sql<CommentRow[]>`
    ${commentSelect}
    where c.video_id = ${request.videoId} and c.status = ${request.status}
      ${afterCursor(sql`c.created_at, c.id`, request.after, order)}
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
  const oldestFirst = query.sort === 'oldest';
  let rows: CommentRow[];
  if (query.status === 'published') {
    rows = await commentsPageQuery({
      videoId,
      videoOwnerId: video.ownerId,
      callerId: caller?.userId,
      oldestFirst,
      limit: query.limit,
      after,
    });
  } else {
    const allowed = query.status === 'held' ? canManage(caller, video) : caller?.role === 'admin';
    if (!allowed) throw new NotFound('No video with this id');
    rows = await moderationQueueQuery({
      videoId,
      status: query.status,
      oldestFirst,
      limit: query.limit,
      after,
    });
  }
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
  const rows = await sql<CommentRow[]>`
    ${commentSelect}
    where c.parent_id = ${commentId} and c.status = 'published'
      and ${shownTo(caller?.userId, comment.video.ownerId)}
      ${afterCursor(sql`c.created_at, c.id`, after, 'asc')}
    order by c.created_at, c.id
    ${pageLimit(query.limit)}
  `;
  return toPage(rows, query.limit, (row) => row.sortKey, toComment);
}
