import { z } from 'zod';
import { sql } from '../db.ts';
import type { Video } from '../videos/video.ts';
import { decodeCursor, type Page, TimeKey, timeKeyText } from './pagination.ts';
import { type PageOrder, toVideoPage, videosOfPage } from './video-page.ts';

const MAX_WORDS = 16;
const MAX_WORD_LENGTH = 64;

/** Sort key of search results: rank, then newest, then id. */
export const SearchCursor = z.tuple([z.number().finite().nonnegative(), TimeKey, z.uuid()]);
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
  sortKey: sql`json_build_array(page.rank, ${timeKeyText(sql`page.published_at`)}, page.id)`,
  orderBy: sql`page.rank desc, page.published_at desc, page.id desc`,
};

/**
 * The SQL of one page of search results. Every match is ranked once (the materialised CTE), then the keyset
 * condition and the top-N sort apply to the ranks; the GIN index finds the matches.
 */
export function searchPageQuery(request: SearchRequest) {
  const query = searchQuery(searchWords(request.q));
  const after = request.after;
  return videosOfPage(
    sql`
      with matches as materialized (
        select v.id, v.published_at, ts_rank(v.search_document, ${query}) as rank
        from videos v
        where v.status = 'ready' and v.visibility = 'public' and v.search_document @@ ${query}
          ${request.owner ? sql`and v.owner_id = ${request.owner}` : sql``}
      )
      select id, published_at, rank from matches
      ${after ? sql`where (rank, published_at, id) < (${after[0]}::real, ${after[1]}::text::timestamptz, ${after[2]}::uuid)` : sql``}
      order by rank desc, published_at desc, id desc
      limit ${request.limit + 1}
    `,
    bestMatchFirst,
  );
}

/**
 * Full-text search over public ready videos, best match first (title counts more than description).
 *
 * @example
 * const page = await searchVideos({ q: 'guitar less', limit: 20 }); // finds "Guitar lessons for beginners"
 */
export async function searchVideos(
  request: Omit<SearchRequest, 'after'> & { cursor?: string },
): Promise<Page<Video>> {
  const after = decodeCursor(request.cursor, SearchCursor);
  if (searchWords(request.q).length === 0) return { items: [], nextCursor: null };
  const rows = await searchPageQuery({ ...request, after });
  return toVideoPage(rows, request.limit);
}
