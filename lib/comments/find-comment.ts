import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import { canManage, isVisibleTo } from '../videos/find-video.ts';
import type { CommentPolicy, VideoStatus, VideoVisibility } from '../videos/schemas.ts';
import { type CommentRow, commentSelect } from './comment.ts';

/** A comment with what deciding about it needs: its video's state and whether the video's owner blocked its author. */
export interface CommentInContext extends CommentRow {
  video: { ownerId: string; status: VideoStatus; visibility: VideoVisibility; commentPolicy: CommentPolicy };
  authorBlocked: boolean;
}

interface VideoColumns {
  videoOwnerId: string;
  videoStatus: VideoStatus;
  videoVisibility: VideoVisibility;
  videoCommentPolicy: CommentPolicy;
  authorBlocked: boolean;
}

/**
 * Whether the caller may see a comment: on a video they may watch, published (and not hidden from them because
 * the owner blocked its author), held only for its author and the video's managers, removed only for admins.
 */
export function maySeeComment(caller: Principal | undefined, comment: CommentInContext) {
  const { video } = comment;
  if (!isVisibleTo(caller, video)) return false;
  const manager = canManage(caller, video);
  if (video.status !== 'ready' && !manager) return false;
  const author = caller?.userId === comment.authorId;
  if (comment.status === 'removed') return caller?.role === 'admin';
  if (comment.status === 'held') return author || manager;
  return author || manager || !comment.authorBlocked;
}

/**
 * A comment the caller may see (see {@link maySeeComment}); 404 otherwise, so a hidden comment looks like a missing
 * one.
 *
 * @example
 * const comment = await findVisibleComment(caller, params.id);
 */
export async function findVisibleComment(
  caller: Principal | undefined,
  id: string,
): Promise<CommentInContext> {
  const [row] = await sql<(CommentRow & VideoColumns)[]>`
    select found.*, v.owner_id as video_owner_id, v.status as video_status, v.visibility as video_visibility,
           v.comment_policy as video_comment_policy,
           exists (select 1 from blocks b where b.blocker_id = v.owner_id and b.blocked_id = found.author_id)
             as author_blocked
    from (${commentSelect} where c.id = ${id}) found
    join videos v on v.id = found.video_id
  `;
  if (!row) throw new NotFound('No comment with this id');
  const { videoOwnerId, videoStatus, videoVisibility, videoCommentPolicy, ...comment } = row;
  const found: CommentInContext = {
    ...comment,
    video: {
      ownerId: videoOwnerId,
      status: videoStatus,
      visibility: videoVisibility,
      commentPolicy: videoCommentPolicy,
    },
  };
  if (!maySeeComment(caller, found)) throw new NotFound('No comment with this id');
  return found;
}
