import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { Forbidden, NotFound } from '../errors.ts';
import { notifyCommentPublished } from '../notifications/comment-notifications.ts';
import { pushNotifications } from '../realtime/push.ts';
import { canManage } from '../videos/find-video.ts';
import type { CommentPolicy } from '../videos/schemas.ts';
import { findWatchableVideo } from '../videos/watchable-video.ts';
import { type CommentRow, commentSelect, toComment } from './comment.ts';
import { moderatedStatus } from './moderation.ts';
import type { Comment, PostCommentRequest } from './schemas.ts';

/** What deciding on a comment on a video needs: its policy, and its owner's watched words and block of the caller. */
export interface CommentingRules {
  policy: CommentPolicy;
  watchedWords: string[];
  moderator: boolean;
}

/**
 * The rules a caller comments on a video under; a closed video or an owner who blocked the caller refuses them
 * (403), for a new comment, a reply and an edit alike.
 *
 * @example
 * const rules = await commentingRules(caller, { ownerId, commentPolicy });
 */
export async function commentingRules(
  caller: Principal,
  video: { ownerId: string; commentPolicy: CommentPolicy },
): Promise<CommentingRules> {
  if (video.commentPolicy === 'closed') throw new Forbidden('Comments are closed on this video');
  const [owner] = await sql<{ watchedWords: string[]; blocked: boolean }[]>`
    select u.comment_filter_words as watched_words,
           exists (select 1 from blocks b where b.blocker_id = u.id and b.blocked_id = ${caller.userId}) as blocked
    from users u where u.id = ${video.ownerId}
  `;
  if (owner?.blocked) throw new Forbidden("This video's owner has blocked you");
  return {
    policy: video.commentPolicy,
    watchedWords: owner?.watchedWords ?? [],
    moderator: canManage(caller, video),
  };
}

/**
 * Comments on a video the caller may watch, or replies to one of its comments (a reply to a reply joins its
 * top-level comment). The video's policy and its owner's filters decide whether it is published or held; a published
 * one notifies the video's owner and the author it answers, in the same transaction, and pushes those notifications
 * to their open WebSocket connections once committed. `video.comment_count` and the
 * parent's `reply_count` follow through triggers.
 *
 * @example
 * const comment = await postComment(caller, videoId, { body: 'Nice cut!' });
 */
export async function postComment(
  caller: Principal,
  videoId: string,
  request: PostCommentRequest,
): Promise<Comment> {
  const video = await findWatchableVideo(caller, videoId);
  const rules = await commentingRules(caller, video);
  const status = moderatedStatus(rules, request.body);
  const { comment, notified } = await sql.begin(async (tx) => {
    let parentId: string | null = null;
    if (request.parentId !== undefined) {
      // Key share: the parent cannot be deleted under the reply, and its reply count is updated after.
      const [parent] = await tx<{ id: string; parentId: string | null }[]>`
        select id, parent_id from comments
        where id = ${request.parentId} and video_id = ${videoId} and status = 'published'
        for key share
      `;
      if (!parent) throw new NotFound('No comment with this id on this video');
      parentId = parent.parentId ?? parent.id;
    }
    const [inserted] = await tx<{ id: string }[]>`
      insert into comments (video_id, parent_id, author_id, body, status)
      values (${videoId}, ${parentId}, ${caller.userId}, ${request.body}, ${status})
      returning id
    `;
    const id = (inserted as { id: string }).id;
    const notified = status === 'published' ? await notifyCommentPublished(tx, id) : [];
    const [row] = await tx<CommentRow[]>`${commentSelect} where c.id = ${id}`;
    return { comment: toComment(row as CommentRow), notified };
  });
  await pushNotifications(notified.map((notification) => notification.id));
  return comment;
}
