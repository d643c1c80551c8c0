import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { Conflict, HttpError, NotFound } from '../errors.ts';
import { decodeCursor, type Page, type PageQuery, pageLimit, toPage } from '../pagination.ts';
import { isVisibleTo, visibleVideoCondition } from '../videos/find-video.ts';
import { toVideo, type VideoRow, videoSelect } from '../videos/video.ts';
import { type PageOrder, videosOfPage } from '../videos/video-page.ts';
import { findVisiblePlaylist, lockManagedPlaylist } from './playlist.ts';
import {
  type AddPlaylistItemBody,
  MAX_PLAYLIST_ITEMS,
  type MovePlaylistItemBody,
  type PlaylistItem,
  PositionCursor,
} from './schemas.ts';

const inPlaylistOrder: PageOrder = {
  sortKey: sql`json_build_array(page.position)`,
  orderBy: sql`page.position`,
};

/** The SQL of one page of a playlist's videos the caller may see, walking `playlist_items_position_key`. */
export function playlistItemsPageQuery(request: {
  caller: Principal | undefined;
  playlistId: string;
  limit: number;
  after?: PositionCursor;
}) {
  return videosOfPage(
    sql`
      select v.id, i.position from playlist_items i join videos v on v.id = i.video_id
      where i.playlist_id = ${request.playlistId} and ${visibleVideoCondition(request.caller)}
        ${request.after ? sql`and i.position > ${request.after[0]}` : sql``}
      order by i.position
      ${pageLimit(request.limit)}
    `,
    inPlaylistOrder,
  );
}

/**
 * A page of a playlist's videos in position order, each as the video list shows it; videos the caller may not see
 * (someone else's private or unfinished one) are skipped, and their positions with them.
 *
 * @example
 * const page = await playlistItems(caller, playlistId, { limit: 20 });
 */
export async function playlistItems(
  caller: Principal | undefined,
  playlistId: string,
  query: PageQuery,
): Promise<Page<PlaylistItem>> {
  await findVisiblePlaylist(caller, playlistId);
  const after = decodeCursor(query.cursor, PositionCursor);
  const rows = await playlistItemsPageQuery({ caller, playlistId, limit: query.limit, after });
  return toPage(
    rows,
    query.limit,
    (row) => row.sortKey,
    (row) => ({ position: row.sortKey[0] as number, video: toVideo(row) }),
  );
}

const notInPlaylist = () => new NotFound('This video is not in the playlist');

/**
 * Adds a video the caller may see to a playlist they manage, at `position` (later items move down) or at the end
 * (also for a position beyond it). A video is in a playlist once (409); a playlist holds at most 5000 videos
 * (409 `playlist-full`).
 *
 * @example
 * const { position } = await addPlaylistItem(caller, playlistId, { videoId, position: 1 });
 */
export async function addPlaylistItem(
  caller: Principal,
  playlistId: string,
  body: AddPlaylistItemBody,
): Promise<PlaylistItem> {
  const { video, position } = await sql.begin(async (tx) => {
    const playlist = await lockManagedPlaylist(tx, caller, playlistId);
    const [video] = await tx<VideoRow[]>`${videoSelect} where v.id = ${body.videoId}`;
    if (!video || !isVisibleTo(caller, video)) throw new NotFound('No video with this id');
    const [present] = await tx`
      select 1 from playlist_items where playlist_id = ${playlistId} and video_id = ${video.id}
    `;
    if (present) throw new Conflict('This video is already in the playlist');
    if (playlist.videoCount >= MAX_PLAYLIST_ITEMS) {
      throw new HttpError(409, 'Conflict', 'playlist-full', {
        detail: `A playlist holds at most ${MAX_PLAYLIST_ITEMS} videos; remove one first`,
      });
    }
    const at = Math.min(body.position ?? Number.POSITIVE_INFINITY, playlist.videoCount + 1);
    await tx`
      update playlist_items set position = position + 1 where playlist_id = ${playlistId} and position >= ${at}
    `;
    await tx`
      insert into playlist_items (playlist_id, video_id, position) values (${playlistId}, ${video.id}, ${at})
    `;
    return { video, position: at };
  });
  return { position, video: toVideo(video) };
}

/**
 * Moves a video of a playlist the caller manages to `position` (beyond the end: the end); the items in between
 * shift by one, in one statement under the playlist's lock, so concurrent moves keep positions 1..n.
 *
 * @example
 * await movePlaylistItem(caller, playlistId, videoId, { position: 3 });
 */
export async function movePlaylistItem(
  caller: Principal,
  playlistId: string,
  videoId: string,
  body: MovePlaylistItemBody,
): Promise<void> {
  await sql.begin(async (tx) => {
    const playlist = await lockManagedPlaylist(tx, caller, playlistId);
    const [item] = await tx<{ position: number }[]>`
      select position from playlist_items where playlist_id = ${playlistId} and video_id = ${videoId}
    `;
    if (!item) throw notInPlaylist();
    const from = item.position;
    const to = Math.min(body.position, playlist.videoCount);
    if (from === to) return;
    await tx`
      update playlist_items
      set position = case when video_id = ${videoId} then ${to}::int
                          when ${to}::int < ${from}::int then position + 1
                          else position - 1 end
      where playlist_id = ${playlistId} and position between ${Math.min(from, to)} and ${Math.max(from, to)}
    `;
    await tx`update playlists set updated_at = now() where id = ${playlistId}`;
  });
}

/**
 * Takes a video out of a playlist the caller manages; the later items move up (migration 0016's trigger).
 *
 * @example
 * await removePlaylistItem(caller, playlistId, videoId);
 */
export async function removePlaylistItem(
  caller: Principal,
  playlistId: string,
  videoId: string,
): Promise<void> {
  await sql.begin(async (tx) => {
    await lockManagedPlaylist(tx, caller, playlistId);
    const removed = await tx`
      delete from playlist_items where playlist_id = ${playlistId} and video_id = ${videoId}
    `;
    if (removed.count === 0) throw notInPlaylist();
  });
}
