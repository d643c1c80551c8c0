import { sql } from '../db.ts';
import { type TimeCursor, timeKeyText } from '../pagination.ts';
import type { Comment, CommentStatus } from './schemas.ts';

/** One row of {@link commentSelect}. */
export interface CommentRow {
  id: string;
  videoId: string;
  parentId: string | null;
  authorId: string;
  authorUsername: string;
  authorDisplayName: string;
  body: string;
  status: CommentStatus;
  replyCount: number;
  createdAt: Date;
  editedAt: Date | null;
  sortKey: TimeCursor;
}

/** The columns of a `comment` with its author, and its keyset sort key; compose: sql`${commentSelect} where …`. */
export const commentSelect = sql`
  select c.id, c.video_id, c.parent_id, c.author_id, a.username as author_username,
         a.display_name as author_display_name, c.body, c.status, c.reply_count, c.created_at, c.edited_at,
         json_build_array(${timeKeyText(sql`c.created_at`)}, c.id) as sort_key
  from comments c join users a on a.id = c.author_id
`;

/** Shapes a row as the contract's `comment`. */
export function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    videoId: row.videoId,
    parentId: row.parentId,
    author: { id: row.authorId, username: row.authorUsername, displayName: row.authorDisplayName },
    body: row.body,
    status: row.status,
    replyCount: row.replyCount,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
  };
}

/**
 * The condition that hides, from everyone but their author, comments whose author the video's owner blocked.
 *
 * @example
 * sql`${commentSelect} where c.video_id = ${id} and ${shownTo(caller?.userId, video.ownerId)}`
 */
export function shownTo(callerId: string | undefined, videoOwnerId: string) {
  return sql`(c.author_id = ${callerId ?? null}::uuid or not exists (
    select 1 from blocks b where b.blocker_id = ${videoOwnerId} and b.blocked_id = c.author_id))`;
}
