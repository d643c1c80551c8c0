import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import {
  afterCursor,
  decodeCursor,
  type Page,
  type PageQuery,
  pageLimit,
  TimeCursor,
  timeKeyText,
  toPage,
} from '../pagination.ts';
import { userNamedBy } from '../users/id-or-username.ts';
import { canManage } from '../videos/find-video.ts';
import { type PlaylistRow, playlistSelect, toPlaylist } from './playlist.ts';
import type { Playlist } from './schemas.ts';

/** The SQL of one page of a user's playlists, newest first, walking `playlists_owner_idx`. */
export function playlistsPageQuery(request: {
  ownerId: string;
  everyVisibility: boolean;
  limit: number;
  after?: TimeCursor;
}) {
  return sql<(PlaylistRow & { sortKey: TimeCursor })[]>`
    select page.*, json_build_array(${timeKeyText(sql`page.created_at`)}, page.id) as sort_key
    from (${playlistSelect}) page
    where page.owner_id = ${request.ownerId}
      ${request.everyVisibility ? sql`` : sql`and page.visibility = 'public'`}
      ${afterCursor(sql`page.created_at, page.id`, request.after)}
    order by page.created_at desc, page.id desc
    ${pageLimit(request.limit)}
  `;
}

/**
 * A user's playlists, newest first: the public ones, or all of them (unlisted and private too) for the user
 * themselves and admins. Like the video list, an unlisted playlist is reachable by its id only.
 *
 * @example
 * const page = await playlistsOf(caller, 'ada', { limit: 20 });
 */
export async function playlistsOf(
  caller: Principal | undefined,
  idOrUsername: string,
  query: PageQuery,
): Promise<Page<Playlist>> {
  const [owner] = await sql<{ id: string }[]>`select id from users where ${userNamedBy(idOrUsername)}`;
  if (!owner) throw new NotFound('No user with this id or username');
  const rows = await playlistsPageQuery({
    ownerId: owner.id,
    everyVisibility: canManage(caller, { ownerId: owner.id }),
    limit: query.limit,
    after: decodeCursor(query.cursor, TimeCursor),
  });
  return toPage(rows, query.limit, (row) => row.sortKey, toPlaylist);
}
