import { sql } from '../db.ts';
import { pushNotifications } from '../realtime/push.ts';

/** Subscribers notified per statement: large enough to be fast, small enough to keep each transaction short. */
const FAN_OUT_CHUNK = 10_000;
const BEFORE_EVERY_UUID = '00000000-0000-0000-0000-000000000000';

interface FanOutState {
  ownerId: string;
  lastSubscriberId: string | null;
  completedAt: Date | null;
}

interface ChunkResult {
  lastSubscriberId: string | null;
  chunkSize: number;
  insertedIds: string[];
}

/**
 * Notifies every subscriber of a video's owner that it was published: one `video.published` row each, inserted
 * set-based in chunks of subscribers (keyset over `subscriber_id`), each chunk its own short transaction, so a
 * channel with a million subscribers never holds one giant transaction. Each chunk records its progress in
 * `notification_fan_outs` in the same statement, so a retry (a Lambda that timed out half-way) resumes after the
 * last committed chunk and a redelivered event for a finished fan-out returns at once. The unique constraint
 * makes any overlap (two deliveries running at the same time) insert nothing twice. Private and unlisted videos
 * notify nobody. Each chunk's new notifications are pushed to the recipients' open WebSockets before the next chunk.
 *
 * @example
 * const inserted = await fanOutPublished(videoId);
 */
export async function fanOutPublished(videoId: string, chunkSize = FAN_OUT_CHUNK): Promise<number> {
  const [video] = await sql<FanOutState[]>`
    select v.owner_id, f.last_subscriber_id, f.completed_at
    from videos v left join notification_fan_outs f on f.video_id = v.id
    where v.id = ${videoId} and v.status = 'ready' and v.visibility = 'public'
  `;
  if (!video || video.completedAt) return 0;
  let inserted = 0;
  let after = video.lastSubscriberId ?? BEFORE_EVERY_UUID;
  for (;;) {
    const [chunk] = await sql<ChunkResult[]>`
      with video as (
        -- Shared lock: a visibility change (whose trigger marks the video's notifications) waits for this chunk,
        -- or this chunk waits for it and sees the new visibility.
        select published_at, visibility = 'private' as private from videos where id = ${videoId} for share
      ), chunk as (
        select subscriber_id from subscriptions
        where channel_id = ${video.ownerId} and subscriber_id > ${after}
        order by subscriber_id
        limit ${chunkSize}
      ), created as (
        insert into notifications (recipient_id, type, video_id, actor_id, created_at, video_private)
        select subscriber_id, 'video.published', ${videoId}, ${video.ownerId}, video.published_at, video.private
        from chunk, video
        on conflict on constraint notifications_once_per_video do nothing
        returning id
      ), summary as (
        select (select subscriber_id from chunk order by subscriber_id desc limit 1) as last_subscriber_id,
               (select count(*)::int from chunk) as chunk_size
      ), progress as (
        insert into notification_fan_outs (video_id, last_subscriber_id, completed_at)
        select ${videoId}, coalesce(last_subscriber_id, ${after}::uuid),
               case when chunk_size < ${chunkSize} then now() end
        from summary
        on conflict (video_id) do update
          set last_subscriber_id = excluded.last_subscriber_id, completed_at = excluded.completed_at
          where notification_fan_outs.completed_at is null
      )
      select last_subscriber_id, chunk_size, (select coalesce(array_agg(id), '{}') from created) as inserted_ids
      from summary
    `;
    const insertedIds = chunk?.insertedIds ?? [];
    inserted += insertedIds.length;
    await pushNotifications(insertedIds);
    if (!chunk?.lastSubscriberId || chunk.chunkSize < chunkSize) return inserted;
    after = chunk.lastSubscriberId;
  }
}
