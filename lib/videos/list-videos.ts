import { sql } from '../db.ts';
import { decodeCursor, type Page, pageLimit, TimeCursor } from '../pagination.ts';
import type { ListVideosQuery, Video } from './schemas.ts';
import { searchVideos } from './search.ts';
import { publishedAfter, toVideoPage, videosOfPage } from './video-page.ts';

/** The SQL of one page of public ready videos, newest first, optionally of one channel. */
export function latestPageQuery(request: { owner?: string; limit: number; after?: TimeCursor }) {
  return videosOfPage(sql`
    select v.id, v.published_at from videos v
    where v.status = 'ready' and v.visibility = 'public'
      ${request.owner ? sql`and v.owner_id = ${request.owner}` : sql``}
      ${publishedAfter(request.after)}
    order by v.published_at desc, v.id desc
    ${pageLimit(request.limit)}
  `);
}

/**
 * The public catalogue: ready public videos, newest first, optionally of one channel; with `q`, full-text search
 * (best match first). Unlisted and private videos never appear.
 *
 * @example
 * const page = await listVideos({ limit: 20, owner: channelId });
 * const next = await listVideos({ limit: 20, owner: channelId, cursor: page.nextCursor ?? undefined });
 */
export async function listVideos(query: ListVideosQuery): Promise<Page<Video>> {
  if (query.q)
    return searchVideos({ q: query.q, owner: query.owner, limit: query.limit, cursor: query.cursor });
  const after = decodeCursor(query.cursor, TimeCursor);
  const rows = await latestPageQuery({ owner: query.owner, limit: query.limit, after });
  return toVideoPage(rows, query.limit);
}
