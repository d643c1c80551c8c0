import { sql } from '../db.ts';
import { decodeCursor, type Page, type PageQuery, TimeCursor } from '../pagination.ts';
import type { Video } from '../videos/schemas.ts';
import { publishedAfter, toVideoPage, videosOfPage } from '../videos/video-page.ts';

/**
 * The SQL of one feed page, in two passes down `videos_channel_published_idx`. First each subscribed channel's
 * newest video: when limit + 1 channels have one, the (limit + 1)-th newest of those is a time that at least
 * limit + 1 feed videos reach, so nothing older can be on the page, and only channels whose newest video reaches
 * it can contribute. Then those few channels' videos down to that time, merged and sorted. The cost grows with the
 * number of channels plus the page size, not with channels × page size, nor with how many videos they published.
 */
export function feedPageQuery(request: { userId: string; limit: number; after?: TimeCursor }) {
  const ofChannel = sql`
    v.owner_id = s.channel_id and v.status = 'ready' and v.visibility = 'public' ${publishedAfter(request.after)}
  `;
  return videosOfPage(sql`
    with newest as materialized (
      select s.channel_id, n.published_at from subscriptions s
      cross join lateral (
        select v.published_at from videos v where ${ofChannel}
        order by v.published_at desc, v.id desc
        limit 1
      ) n
      where s.subscriber_id = ${request.userId}
    ), bound as (
      select case when count(*) > ${request.limit} then min(published_at) else '-infinity' end as published_at
      from (select published_at from newest order by published_at desc limit ${request.limit + 1}) top
    )
    select f.id, f.published_at
    from newest s
    cross join lateral (
      select v.id, v.published_at from videos v
      where ${ofChannel} and v.published_at >= (select published_at from bound)
      order by v.published_at desc, v.id desc
      limit ${request.limit + 1}
    ) f
    where s.published_at >= (select published_at from bound)
    order by f.published_at desc, f.id desc
    limit ${request.limit + 1}
  `);
}

/** Newest public videos a feed page looks through before asking each channel (see {@link recentFeedPageQuery}). */
export const RECENT_WINDOW = 1000;

/**
 * The SQL of one feed page taken from the newest {@link RECENT_WINDOW} public videos of the whole catalogue (after
 * the cursor): a short walk down `videos_published_idx`. When that window holds limit + 1 videos of the caller's
 * channels, they are exactly the page (nothing newer was skipped); a caller who follows busy channels gets the feed
 * this way, and anyone else from {@link feedPageQuery}.
 */
export function recentFeedPageQuery(request: { userId: string; limit: number; after?: TimeCursor }) {
  return videosOfPage(sql`
    select recent.id, recent.published_at
    from (
      select v.id, v.published_at, v.owner_id from videos v
      where v.status = 'ready' and v.visibility = 'public' ${publishedAfter(request.after)}
      order by v.published_at desc, v.id desc
      limit ${RECENT_WINDOW}
    ) recent
    where recent.owner_id in (select channel_id from subscriptions where subscriber_id = ${request.userId})
    order by recent.published_at desc, recent.id desc
    limit ${request.limit + 1}
  `);
}

/**
 * The caller's feed: public ready videos of the channels they subscribe to, newest first.
 *
 * @example
 * const page = await feedOf(caller.userId, { limit: 20 });
 */
export async function feedOf(userId: string, query: PageQuery): Promise<Page<Video>> {
  const after = decodeCursor(query.cursor, TimeCursor);
  const request = { userId, limit: query.limit, after };
  const recent = await recentFeedPageQuery(request);
  const rows = recent.length > query.limit ? recent : await feedPageQuery(request);
  return toVideoPage(rows, query.limit);
}
