import { sql } from '../db.ts';

/** Subscribers notified per statement: large enough to be fast, small enough to keep each transaction short. */
const FAN_OUT_CHUNK = 10_000;

/**
 * Notifies every subscriber of a video's owner that it was published: one `video.published` row each, inserted
 * set-based in chunks of subscribers (keyset over `subscriber_id`), so a channel with a million subscribers never
 * holds one giant transaction. The unique constraint makes a repeated call (a redelivered storage event, a retry
 * after a crash) insert nothing new. Private and unlisted videos notify nobody.
 *
 * @example
 * const inserted = await fanOutPublished(videoId);
 */
export async function fanOutPublished(videoId: string, chunkSize = FAN_OUT_CHUNK): Promise<number> {
  const [video] = await sql<{ ownerId: string; publishedAt: Date }[]>`
    select owner_id, published_at from videos
    where id = ${videoId} and status = 'ready' and visibility = 'public'
  `;
  if (!video) return 0;
  let inserted = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const [chunk] = await sql<{ lastSubscriberId: string | null; chunkSize: number; inserted: number }[]>`
      with chunk as (
        select subscriber_id from subscriptions
        where channel_id = ${video.ownerId} and subscriber_id > ${after}
        order by subscriber_id
        limit ${chunkSize}
      ), created as (
        insert into notifications (recipient_id, type, video_id, actor_id, created_at)
        select subscriber_id, 'video.published', ${videoId}, ${video.ownerId}, ${video.publishedAt} from chunk
        on conflict on constraint notifications_once_per_video do nothing
        returning 1
      )
      select (select subscriber_id from chunk order by subscriber_id desc limit 1) as last_subscriber_id,
             (select count(*)::int from chunk) as chunk_size,
             (select count(*)::int from created) as inserted
    `;
    inserted += chunk?.inserted ?? 0;
    if (!chunk?.lastSubscriberId || chunk.chunkSize < chunkSize) return inserted;
    after = chunk.lastSubscriberId;
  }
}
