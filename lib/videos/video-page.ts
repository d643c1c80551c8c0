import type postgres from 'postgres';
import { sql } from '../db.ts';
import { afterCursor, type Page, type TimeCursor, timeKeyText, toPage } from '../pagination.ts';
import type { Video } from './schemas.ts';
import { toVideo, type VideoRow, videoSelect } from './video.ts';

/** A video of a page together with the sort key its cursor is made of. */
export type VideoPageRow = VideoRow & { sortKey: unknown[] };

/** The keyset condition of the newest-first lists: rows strictly after the cursor's `(published_at, id)`. */
export function publishedAfter(after: TimeCursor | undefined) {
  return afterCursor(sql`v.published_at, v.id`, after);
}

export interface PageOrder {
  /** A JSON array over the `page` columns that the cursor carries. */
  sortKey: postgres.Fragment;
  orderBy: postgres.Fragment;
}

export const newestFirst: PageOrder = {
  sortKey: sql`json_build_array(${timeKeyText(sql`page.published_at`)}, page.id)`,
  orderBy: sql`page.published_at desc, page.id desc`,
};

/**
 * Loads the full videos of a page whose rows (`id`, `published_at`, and whatever `order` needs) a list query has
 * already chosen as the CTE `page`; only those few rows are joined with their owners.
 *
 * @example
 * const rows = await videosOfPage(sql`select v.id, v.published_at from videos v … limit ${limit + 1}`, newestFirst);
 */
export function videosOfPage(page: postgres.Fragment, order: PageOrder = newestFirst) {
  return sql<VideoPageRow[]>`
    with page as (${page})
    select video.*, ${order.sortKey} as sort_key
    from page join (${videoSelect}) video on video.id = page.id
    order by ${order.orderBy}
  `;
}

/** Turns `limit + 1` rows of {@link videosOfPage} into the API page. */
export function toVideoPage(rows: readonly VideoPageRow[], limit: number): Page<Video> {
  return toPage(rows, limit, (row) => row.sortKey, toVideo);
}
