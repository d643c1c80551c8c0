import * as z from 'zod/mini';
import { sql } from '../db.ts';
import type { Video } from '../videos/video.ts';
import { decodeCursor, type Page, TimeKey, timeKeyText } from './pagination.ts';
import { type PageOrder, toVideoPage, type VideoPageRow, videosOfPage } from './video-page.ts';

const MAX_WORDS = 16;
const MAX_WORD_LENGTH = 64;

/** How many of the newest matches a search ranks (like GitHub's search API, a broad query ends there). */
export const SEARCH_WINDOW = 1000;

/** Sort key of search results (rank, then newest, then id), and the oldest candidate of the first page. */
export const SearchCursor = z.tuple([
  z.number().check(z.nonnegative()),
  TimeKey,
  z.uuid(),
  TimeKey,
  z.uuid(),
]);
export type SearchCursor = z.infer<typeof SearchCursor>;

export interface SearchRequest {
  q: string;
  owner?: string;
  limit: number;
  after?: SearchCursor;
}

/**
 * The words of a search box, lower-cased: runs of letters, marks and digits, so punctuation, quotes and tsquery
 * operators (`&`, `|`, `!`, `:`, `(`) can never reach `to_tsquery`.
 *
 * @example
 * searchWords("Café: l'été & co!"); // ['café', 'l', 'été', 'co']
 */
export function searchWords(q: string): string[] {
  const words =
    q
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return words.slice(0, MAX_WORDS).map((word) => word.slice(0, MAX_WORD_LENGTH));
}

/**
 * The tsquery of a search (see the search document in migrations/0004_catalogue.sql): every complete word must
 * match as an English stem (stop words drop out); the last word, still being typed, matches its stem or any
 * word it begins ("tutoria" → "tutorial"), unless it is itself a stop word. Only stop words → an empty query,
 * which matches nothing.
 */
export function searchQuery(words: readonly string[]) {
  const complete = words.slice(0, -1).join(' ');
  const last = words.at(-1) ?? '';
  return sql`(
    plainto_tsquery('english', clipiq_unaccent(${complete}))
    && case when numnode(plainto_tsquery('english', ${last})) = 0 then ''::tsquery
       else plainto_tsquery('english', clipiq_unaccent(${last}))
         || to_tsquery('simple', clipiq_unaccent(${last}) || ':*') end
  )`;
}

const bestMatchFirst: PageOrder = {
  sortKey: sql`json_build_array(page.rank, ${timeKeyText(sql`page.published_at`)}, page.id,
                                ${timeKeyText(sql`page.floor_published_at`)}, page.floor_id)`,
  orderBy: sql`page.rank desc, page.published_at desc, page.id desc`,
};

/**
 * The SQL of one page of search results. Ranking needs every candidate's document, so ranking all matches of a
 * common word (a sixth of a million videos) takes seconds; instead the candidates are the newest
 * {@link SEARCH_WINDOW} matches (all of them when fewer match), found by walking `videos_published_idx` for a
 * common query or `videos_search_idx` for a rare one (the planner picks from the word statistics). The window's
 * oldest row travels in the cursor and bounds later pages, so videos published meanwhile can only add results,
 * never push earlier candidates out (no gaps); the keyset on rank then pages through it.
 */
export function searchPageQuery(request: SearchRequest) {
  const query = searchQuery(searchWords(request.q));
  const after = request.after;
  return videosOfPage(
    sql`
      with candidates as materialized (
        select v.id, v.published_at, v.search_document
        from videos v
        where v.status = 'ready' and v.visibility = 'public' and v.search_document @@ ${query}
          ${request.owner ? sql`and v.owner_id = ${request.owner}` : sql``}
          ${after ? sql`and (v.published_at, v.id) >= (${after[3]}::text::timestamptz, ${after[4]}::uuid)` : sql``}
        order by v.published_at desc, v.id desc
        ${after ? sql`` : sql`limit ${SEARCH_WINDOW}`}
      ), floor as (
        select published_at, id from candidates order by published_at, id limit 1
      ), ranked as (
        select id, published_at, ts_rank(search_document, ${query}) as rank from candidates
      )
      select ranked.id, ranked.published_at, ranked.rank,
             floor.published_at as floor_published_at, floor.id as floor_id
      from ranked, floor
      ${after ? sql`where (ranked.rank, ranked.published_at, ranked.id) < (${after[0]}::real, ${after[1]}::text::timestamptz, ${after[2]}::uuid)` : sql``}
      order by ranked.rank desc, ranked.published_at desc, ranked.id desc
      limit ${request.limit + 1}
    `,
    bestMatchFirst,
  );
}

/**
 * Full-text search over public ready videos, best match first (title counts more than description) among the
 * newest {@link SEARCH_WINDOW} matches.
 *
 * @example
 * const page = await searchVideos({ q: 'guitar less', limit: 20 }); // finds "Guitar lessons for beginners"
 */
export async function searchVideos(
  request: Omit<SearchRequest, 'after'> & { cursor?: string },
): Promise<Page<Video>> {
  const after = decodeCursor(request.cursor, SearchCursor);
  if (searchWords(request.q).length === 0) return { items: [], nextCursor: null };
  const rows = await plannedForItsWords(searchPageQuery({ ...request, after }));
  return toVideoPage(rows, request.limit);
}

/**
 * Runs a search with a plan made for its own words. A prepared statement (`DATABASE_PREPARE`, the local default)
 * switches to a generic plan after five runs, and the generic plan of a search cannot tell a common word from a
 * rare one: it reads every match of "video" (seconds) instead of walking the newest videos. So the search is never
 * prepared: PostgreSQL then plans it with its values each time, as deployed stages (which prepare nothing) do.
 * postgres.js has no per-query switch for tagged queries; this is the option its `unsafe()` sets for the purpose.
 */
function plannedForItsWords(query: ReturnType<typeof searchPageQuery>): Promise<VideoPageRow[]> {
  (query as unknown as { options: { prepare?: boolean } }).options.prepare = false;
  return query;
}
