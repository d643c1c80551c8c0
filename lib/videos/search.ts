import { sql } from '../db.ts';
import { BadRequest } from '../errors.ts';
import {
  decodeCursor,
  type Page,
  pageLimit,
  signCursor,
  timeKeyText,
  verifiedCursor,
} from '../pagination.ts';
import { SearchCursor, type Video } from './schemas.ts';
import { type PageOrder, toVideoPage, videosOfPage } from './video-page.ts';

const MAX_WORDS = 16;
const MAX_WORD_LENGTH = 64;

/** How many of the newest matches a search ranks (like GitHub's search API, a broad query ends there). */
export const SEARCH_WINDOW = 1000;

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
 *
 * Every part is built from the lexemes PostgreSQL's parser finds, never by parsing text as tsquery syntax:
 * unaccent turns some letters into punctuation (`ʼ` → `'`, `ː` → `:`), which `to_tsquery` would read as operators.
 * The prefix is the last word's lexemes as `plainto_tsquery` quotes them, the last one marked `:*`.
 */
export function searchQuery(words: readonly string[]) {
  const complete = words.slice(0, -1).join(' ');
  const last = words.at(-1) ?? '';
  return sql`(
    plainto_tsquery('english', clipiq_unaccent(${complete}))
    && case when numnode(plainto_tsquery('english', ${last})) = 0 then ''::tsquery
       else plainto_tsquery('english', clipiq_unaccent(${last}))
         || regexp_replace(plainto_tsquery('simple', clipiq_unaccent(${last}))::text, '''$', ''':*')::tsquery end
  )`;
}

const bestMatchFirst: PageOrder = {
  sortKey: sql`json_build_array(page.rank, ${timeKeyText(sql`page.published_at`)}, page.id,
                                ${timeKeyText(sql`page.floor_published_at`)}, page.floor_id)`,
  orderBy: sql`page.rank desc, page.published_at desc, page.id desc`,
};

/**
 * The newest matches of a search with their rank, newest first: all of them from the cursor's floor on, else the
 * newest {@link SEARCH_WINDOW}. A channel's matches come from walking its own videos. The whole catalogue is read a
 * week at a time, newest week first (the weekly GIN index of migrations/0008_search_by_week.sql), and the walk stops
 * once the window is full: a common word ends within its latest week or two, a rare one probes each week's short
 * list. The limit relies on the nested loop handing rows on in week order, each week's sorted; SQL promises no
 * order without a final ORDER BY, and one here would read every week before limiting.
 *
 * The query is computed once, in `search`, so that a prepared statement (whose parameters are not constants the
 * planner can fold) does not parse the words again for every week and every row.
 */
function newestMatches(words: readonly string[], owner: string | undefined, after: SearchCursor | undefined) {
  // Ranked as they are found: a row then carries a number instead of its document through the sorts.
  const matchColumns = sql`v.id, v.published_at, ts_rank(v.search_document, search.query) as rank`;
  const fromFloor = after
    ? sql`and (v.published_at, v.id) >= (${after[3]}::text::timestamptz, ${after[4]}::uuid)`
    : sql``;
  // Written into the SQL, as pageLimit does, so the cached generic plan of a prepared search knows the window.
  const window = after ? sql`` : sql`limit ${sql.unsafe(String(SEARCH_WINDOW))}`;
  if (owner) {
    return sql`
      select ${matchColumns}
      from (select ${searchQuery(words)} as query) search, videos v
      where v.status = 'ready' and v.visibility = 'public' and v.owner_id = ${owner}
        and v.search_document @@ search.query ${fromFloor}
      order by v.published_at desc, v.id desc
      ${window}
    `;
  }
  const oldestWeek = after
    ? sql`clipiq_search_week(${after[3]}::text::timestamptz)`
    : sql`clipiq_search_week(min(published_at))`;
  return sql`
    select match.*
    from (
      select ${searchQuery(words)} as query,
             clipiq_search_week(max(published_at)) as newest_week, ${oldestWeek} as oldest_week
      from videos where status = 'ready' and visibility = 'public'
    ) search
    cross join generate_series(search.newest_week, search.oldest_week, -1) week
    cross join lateral (
      select ${matchColumns}
      from videos v
      where v.status = 'ready' and v.visibility = 'public'
        and v.search_week_lexemes @@ clipiq_week_query(search.query, week) ${fromFloor}
      order by v.published_at desc, v.id desc
    ) match
    where numnode(search.query) > 0 -- only stop words: nothing to look for in any week
    ${window}
  `;
}

/**
 * The SQL of one page of search results. Ranking needs every candidate's document, so ranking all matches of a
 * common word (a fifth of a million videos) would take seconds; instead the candidates are the newest
 * {@link SEARCH_WINDOW} matches (all of them when fewer match). The window's oldest row travels in the cursor and
 * bounds later pages, so videos published meanwhile can only add results, never push earlier candidates out (no
 * gaps); the keyset on rank then pages through it.
 */
export function searchPageQuery(request: SearchRequest) {
  const after = request.after;
  return videosOfPage(
    sql`
      with candidates as materialized (${newestMatches(searchWords(request.q), request.owner, after)}),
      floor as (
        select published_at, id from candidates order by published_at, id limit 1
      )
      select candidates.id, candidates.published_at, candidates.rank,
             floor.published_at as floor_published_at, floor.id as floor_id
      from candidates, floor
      ${after ? sql`where (candidates.rank, candidates.published_at, candidates.id) < (${after[0]}::real, ${after[1]}::text::timestamptz, ${after[2]}::uuid)` : sql``}
      order by candidates.rank desc, candidates.published_at desc, candidates.id desc
      ${pageLimit(request.limit)}
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
  const words = searchWords(request.q);
  // Signed, and for this query and channel only: the cursor's floor decides how much of the catalogue is ranked
  // (the other lists' cursors only say where a page starts, so they go unsigned).
  const scope = JSON.stringify(['search', words, request.owner ?? null]);
  const after = decodeCursor(verifiedCursor(request.cursor, scope), SearchCursor);
  if (words.length === 0) return { items: [], nextCursor: null };
  const rows = await searchPageQuery({ ...request, after }).catch(refuseQuerySyntax);
  const page = toVideoPage(rows, request.limit);
  return { ...page, nextCursor: page.nextCursor && signCursor(page.nextCursor, scope) };
}

/** A search PostgreSQL still cannot read as a tsquery is the client's text to fix: a 400, not a 500. */
function refuseQuerySyntax(error: unknown): never {
  if ((error as { code?: unknown }).code === '42601') {
    throw new BadRequest('The search query cannot be read; try other words', {
      errors: [{ path: 'query.q', message: 'unreadable search query' }],
      cause: error,
    });
  }
  throw error;
}
