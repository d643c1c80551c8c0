import type { Principal } from '../auth/principal.ts';
import { type SqlOrTransaction, sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import { canManage } from '../videos/find-video.ts';
import type { VideoVisibility } from '../videos/schemas.ts';
import type { Playlist } from './schemas.ts';

/** One row of {@link playlistSelect}; columns are camel-cased by the client. */
export interface PlaylistRow {
  id: string;
  ownerId: string;
  title: string;
  description: string;
  visibility: VideoVisibility;
  videoCount: number;
  createdAt: Date;
  updatedAt: Date;
  ownerUsername: string;
  ownerDisplayName: string;
}

/** The columns of a `playlist` response, with the owner joined: sql`${playlistSelect} where p.id = ${id}`. */
export const playlistSelect = sql`
  select p.id, p.owner_id, p.title, p.description, p.visibility, p.video_count, p.created_at, p.updated_at,
         u.username as owner_username, u.display_name as owner_display_name
  from playlists p join users u on u.id = p.owner_id
`;

/** Shapes a row as the contract's `playlist`. */
export function toPlaylist(row: PlaylistRow): Playlist {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    visibility: row.visibility,
    owner: { id: row.ownerId, username: row.ownerUsername, displayName: row.ownerDisplayName },
    videoCount: row.videoCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const noPlaylist = () => new NotFound('No playlist with this id');

/**
 * The playlist if the caller may see it, by the videos' rule: a private one only by its owner and admins, an
 * unlisted one by anyone with its id; 404 otherwise, so a hidden playlist looks like a missing one.
 *
 * @example
 * const row = await findVisiblePlaylist(caller, params.id);
 */
export async function findVisiblePlaylist(caller: Principal | undefined, id: string): Promise<PlaylistRow> {
  const [row] = await sql<PlaylistRow[]>`${playlistSelect} where p.id = ${id}`;
  if (!row || !(row.visibility !== 'private' || canManage(caller, row))) throw noPlaylist();
  return row;
}

/**
 * Locks a playlist the caller manages (owner or admin) for a change to its items, inside `tx`: every write to a
 * playlist's items takes this lock first, so concurrent adds, moves and removals queue and positions stay 1..n.
 * Anyone else gets the 404 of a missing playlist.
 *
 * @example
 * await sql.begin(async (tx) => { const { videoCount } = await lockManagedPlaylist(tx, caller, id); … });
 */
export async function lockManagedPlaylist(tx: SqlOrTransaction, caller: Principal, id: string) {
  const [row] = await tx<{ ownerId: string; videoCount: number }[]>`
    select owner_id, video_count from playlists where id = ${id} for no key update
  `;
  if (!row || !canManage(caller, row)) throw noPlaylist();
  return row;
}

/**
 * Locks every playlist that holds a video, in id order, before the video is deleted: its items then go (and the
 * later ones move up) without meeting a move in the middle of one of those playlists.
 *
 * @example
 * await sql.begin(async (tx) => { await lockPlaylistsHolding(tx, videoId); await tx`delete from videos …`; });
 */
export async function lockPlaylistsHolding(tx: SqlOrTransaction, videoId: string) {
  await tx`
    select 1 from playlists
    where id in (select playlist_id from playlist_items where video_id = ${videoId})
    order by id for no key update
  `;
}
