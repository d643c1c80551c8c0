import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { findWatchableVideo } from './watchable-video.ts';

/**
 * Likes a video once, however often it is asked; `videos.like_count` follows the `video_likes` rows through a
 * trigger, so concurrent likes never lose a count.
 *
 * @example
 * await likeVideo(caller, videoId);
 */
export async function likeVideo(caller: Principal, videoId: string): Promise<void> {
  await findWatchableVideo(caller, videoId);
  await sql`
    insert into video_likes (video_id, user_id) values (${videoId}, ${caller.userId})
    on conflict do nothing
  `;
}

/**
 * Takes a like back; a video the caller never liked is left as it is.
 *
 * @example
 * await unlikeVideo(caller, videoId);
 */
export async function unlikeVideo(caller: Principal, videoId: string): Promise<void> {
  await findWatchableVideo(caller, videoId);
  await sql`delete from video_likes where video_id = ${videoId} and user_id = ${caller.userId}`;
}

/**
 * Whether the caller likes a video they may watch (404 otherwise).
 *
 * @example
 * await likesVideo(caller, videoId); // → { liked: true }
 */
export async function likesVideo(caller: Principal, videoId: string): Promise<{ liked: boolean }> {
  await findWatchableVideo(caller, videoId);
  const [row] = await sql<{ liked: boolean }[]>`
    select exists (select 1 from video_likes where video_id = ${videoId} and user_id = ${caller.userId}) as liked
  `;
  return { liked: row?.liked ?? false };
}
