import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { afterCursor, decodeCursor, type Page, pageLimit, TimeCursor, timeKeyText } from '../pagination.ts';
import type { MyVideosQuery, Video, VideoStatus } from './schemas.ts';
import { toVideoPage, videosOfPage } from './video-page.ts';

/** The SQL of one page of an owner's videos, every visibility and status, newest created first. */
export function ownerPageQuery(request: {
  ownerId: string;
  status?: VideoStatus;
  limit: number;
  after?: TimeCursor;
}) {
  return videosOfPage(
    sql`
      select v.id, v.created_at from videos v
      where v.owner_id = ${request.ownerId}
        ${request.status ? sql`and v.status = ${request.status}` : sql``}
        ${afterCursor(sql`v.created_at, v.id`, request.after)}
      order by v.created_at desc, v.id desc
      ${pageLimit(request.limit)}
    `,
    {
      sortKey: sql`json_build_array(${timeKeyText(sql`page.created_at`)}, page.id)`,
      orderBy: sql`page.created_at desc, page.id desc`,
    },
  );
}

/**
 * The caller's own videos of every visibility and status (awaiting upload, processing with its progress, ready,
 * rejected with its reason, removed), newest first: the creator's "My videos", which the public catalogue is not.
 *
 * @example
 * const page = await listMyVideos(caller, { limit: 20, status: 'processing' });
 */
export async function listMyVideos(caller: Principal, query: MyVideosQuery): Promise<Page<Video>> {
  const after = decodeCursor(query.cursor, TimeCursor);
  const rows = await ownerPageQuery({
    ownerId: caller.userId,
    status: query.status,
    limit: query.limit,
    after,
  });
  return toVideoPage(rows, query.limit);
}
