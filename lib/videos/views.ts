import { createHmac, hkdfSync } from 'node:crypto';
import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { config } from '../environment.ts';
import { findWatchableVideo } from './watchable-video.ts';

/** A key of its own for viewer hashes, derived from the server secret: the hashes cannot be reversed to an address. */
const viewerKey = Buffer.from(hkdfSync('sha256', config.jwt.secret, 'clipiq', 'view de-duplication', 32));

/**
 * Who is watching, as a keyed hash: the signed-in user, or for an anonymous viewer the client address (never
 * stored in the clear).
 *
 * @example
 * const hash = viewerHash({ caller: undefined, clientAddress: '203.0.113.10' });
 */
export function viewerHash(viewer: { caller?: Principal; clientAddress: string }): Buffer {
  const identity = viewer.caller ? `user:${viewer.caller.userId}` : `address:${viewer.clientAddress}`;
  return createHmac('sha256', viewerKey).update(identity).digest();
}

/**
 * Counts a view of a video the viewer may watch, at most once per viewer per video per rolling hour. The mark
 * and the counter change in one statement: of two simultaneous views only one passes the upsert's condition.
 *
 * @example
 * const counted = await recordView({ caller, clientAddress }, videoId);
 */
export async function recordView(
  viewer: { caller?: Principal; clientAddress: string },
  videoId: string,
): Promise<boolean> {
  await findWatchableVideo(viewer.caller, videoId);
  const counted = await sql`
    with counted as (
      insert into video_views as seen (video_id, viewer_hash) values (${videoId}, ${viewerHash(viewer)})
      on conflict (video_id, viewer_hash) do update set counted_at = now()
        where seen.counted_at <= now() - interval '1 hour'
      returning video_id
    )
    update videos set view_count = view_count + 1 where id in (select video_id from counted)
  `;
  return counted.count > 0;
}

/**
 * Deletes view marks older than the de-duplication window; they no longer block a count. For a scheduled
 * clean-up, so the table holds about one hour of viewers instead of every viewer ever.
 *
 * @example
 * const pruned = await pruneViewMarks();
 */
export async function pruneViewMarks(): Promise<number> {
  const pruned = await sql`delete from video_views where counted_at <= now() - interval '1 hour'`;
  return pruned.count;
}
