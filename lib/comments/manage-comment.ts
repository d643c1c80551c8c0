import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { Conflict, Forbidden } from '../errors.ts';
import { type CommentNotification, notifyCommentPublished } from '../notifications/comment-notifications.ts';
import { pushNotifications } from '../realtime/push.ts';
import { canManage } from '../videos/find-video.ts';
import { type CommentRow, commentSelect, toComment } from './comment.ts';
import { findVisibleComment } from './find-comment.ts';
import { moderatedStatus } from './moderation.ts';
import { commentingRules } from './post-comment.ts';
import type { Comment, EditCommentRequest } from './schemas.ts';

/**
 * Changes the text of the caller's own comment and stamps `editedAt`. The video's rules apply again (closed or
 * blocked: 403), and a published comment whose new text would be held goes back to the held queue; a held one stays
 * held until approved. Anyone else's comment is a 403 (404 when they cannot see it).
 *
 * @example
 * const comment = await editComment(caller, commentId, { body: 'Fixed a typo' });
 */
export async function editComment(
  caller: Principal,
  id: string,
  request: EditCommentRequest,
): Promise<Comment> {
  const comment = await findVisibleComment(caller, id);
  if (comment.authorId !== caller.userId) throw new Forbidden('Only its author may edit a comment');
  const rules = await commentingRules(caller, comment.video);
  const status = comment.status === 'held' ? 'held' : moderatedStatus(rules, request.body);
  await sql`
    update comments set body = ${request.body}, status = ${status}, edited_at = now()
    where id = ${id} and status <> 'removed'
  `;
  const [row] = await sql<CommentRow[]>`${commentSelect} where c.id = ${id}`;
  return toComment(row as CommentRow);
}

/**
 * Deletes a comment, with its replies, for its author, the video's owner or an admin (anyone else: 403, or 404 when
 * they cannot see it). The counters follow through the triggers.
 *
 * @example
 * await deleteComment(caller, commentId);
 */
export async function deleteComment(caller: Principal, id: string): Promise<void> {
  const comment = await findVisibleComment(caller, id);
  if (comment.authorId !== caller.userId && !canManage(caller, comment.video)) {
    throw new Forbidden("Only its author, the video's owner or an admin may delete a comment");
  }
  await sql`delete from comments where id = ${id}`;
}

/** A held comment its moderator (the video's owner or an admin) decides on; 403 for anyone else, 409 if not held. */
async function findCommentToModerate(caller: Principal, id: string) {
  const comment = await findVisibleComment(caller, id);
  if (!canManage(caller, comment.video))
    throw new Forbidden("Only the video's owner or an admin may moderate");
  return comment;
}

/**
 * Publishes a held comment (approving a published one changes nothing) and sends the notifications its
 * publication makes; anything else is a 409.
 *
 * @example
 * await approveComment(caller, commentId);
 */
export async function approveComment(caller: Principal, id: string): Promise<void> {
  const comment = await findCommentToModerate(caller, id);
  if (comment.status === 'published') return;
  if (comment.status !== 'held') throw new Conflict('Only a held comment can be approved');
  const notified = await sql.begin(async (tx) => {
    const [approved] = await tx`
      update comments set status = 'published' where id = ${id} and status = 'held' returning id
    `;
    return approved ? notifyCommentPublished(tx, id) : ([] as CommentNotification[]);
  });
  await pushNotifications(notified.map((notification) => notification.id));
}

/**
 * Rejects a held comment: it is deleted, with any replies it had. A comment that is not held is a 409 (its
 * moderator deletes it instead).
 *
 * @example
 * await rejectComment(caller, commentId);
 */
export async function rejectComment(caller: Principal, id: string): Promise<void> {
  const comment = await findCommentToModerate(caller, id);
  if (comment.status !== 'held') throw new Conflict('Only a held comment can be rejected');
  await sql`delete from comments where id = ${id} and status = 'held'`;
}
