import type { SqlOrTransaction } from '../db.ts';

/** One notification a published comment created. */
export interface CommentNotification {
  id: string;
  recipientId: string;
}

/**
 * The one place comment notifications are made: for a comment that is now published, `comment.replied` to the
 * author of the comment it answers and `comment.created` to the video's owner (only `comment.replied` when they are
 * the same person), never to the comment's own author nor to someone who blocked them. Idempotent (the
 * once-per-comment constraint), so approving a comment that was held notifies once. Returns what it inserted, for
 * delivery beyond the inbox.
 *
 * @example
 * await sql.begin(async (tx) => { …insert the comment…; await notifyCommentPublished(tx, commentId); });
 */
export async function notifyCommentPublished(
  db: SqlOrTransaction,
  commentId: string,
): Promise<CommentNotification[]> {
  return db<CommentNotification[]>`
    insert into notifications (recipient_id, type, video_id, actor_id, comment_id, video_private)
    select r.recipient_id, r.type, c.video_id, c.author_id, c.id, v.visibility = 'private'
    from comments c
    join videos v on v.id = c.video_id
    left join comments p on p.id = c.parent_id
    cross join lateral (values (p.author_id, 'comment.replied'), (v.owner_id, 'comment.created')) r (recipient_id, type)
    where c.id = ${commentId} and c.status = 'published'
      and r.recipient_id is not null and r.recipient_id <> c.author_id
      and (r.type = 'comment.replied' or r.recipient_id is distinct from p.author_id)
      and not exists (select 1 from blocks b where b.blocker_id = r.recipient_id and b.blocked_id = c.author_id)
    on conflict on constraint notifications_once_per_video do nothing
    returning id, recipient_id
  `;
}
