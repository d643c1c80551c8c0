import { sql } from '../db.ts';
import type { Video } from '../videos/video.ts';
import { decodeCursor, type Page, type PageQuery, TimeCursor } from './pagination.ts';
import { publishedAfter, toVideoPage, videosOfPage } from './video-page.ts';

/**
 * The SQL of one feed page, in two short passes over the subscribed channels (walks down
 * `videos_channel_published_idx`). First each channel's newest video: when limit + 1 channels have one, the
 * (limit + 1)-th newest of those is a time that at least limit + 1 feed videos reach, so nothing older can be on
 * the page. Then each channel's videos
 * down to that time, merged and sorted. The cost grows with the number of channels plus the page size, not with
 * channels × page size, and not with how many videos the channels ever published.
 */
export function feedPageQuery(request: { userId: string; limit: number; after?: TimeCursor }) {
  const ofChannel = sql`
    v.owner_id = s.channel_id and v.status = 'ready' and v.visibility = 'public' ${publishedAfter(request.after)}
  `;
  return videosOfPage(sql`
    with channels as (
      select channel_id from subscriptions where subscriber_id = ${request.userId}
    ), newest as (
      select n.published_at from channels s
      cross join lateral (
        select v.published_at from videos v where ${ofChannel}
        order by v.published_at desc, v.id desc
        limit 1
      ) n
      order by n.published_at desc
      limit ${request.limit + 1}
    )
    select f.id, f.published_at
    from channels s
    cross join lateral (
      select v.id, v.published_at from videos v
      where ${ofChannel}
        and v.published_at >= (
          select case when count(*) > ${request.limit} then min(published_at) else '-infinity' end from newest
        )
      order by v.published_at desc, v.id desc
      limit ${request.limit + 1}
    ) f
    order by f.published_at desc, f.id desc
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
  const rows = await feedPageQuery({ userId, limit: query.limit, after });
  return toVideoPage(rows, query.limit);
}
