import { sql } from '../db.ts';
import type { Video } from '../videos/video.ts';
import { decodeCursor, type Page, type PageQuery, TimeCursor } from './pagination.ts';
import { publishedAfter, toVideoPage, videosOfPage } from './video-page.ts';

/**
 * The SQL of one feed page. Each subscribed channel contributes at most one page of its newest videos (a short
 * walk down `videos_channel_published_idx`), and only those candidates are merged and sorted, so the cost grows
 * with channels × page size, not with how many videos the channels ever published.
 */
export function feedPageQuery(request: { userId: string; limit: number; after?: TimeCursor }) {
  return videosOfPage(sql`
    select f.id, f.published_at
    from subscriptions s
    cross join lateral (
      select v.id, v.published_at from videos v
      where v.owner_id = s.channel_id and v.status = 'ready' and v.visibility = 'public'
        ${publishedAfter(request.after)}
      order by v.published_at desc, v.id desc
      limit ${request.limit + 1}
    ) f
    where s.subscriber_id = ${request.userId}
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
