import type { Principal } from '../auth/principal.ts';
import { sql } from '../db.ts';
import { NotFound } from '../errors.ts';
import { findVisiblePlaylist, type PlaylistRow, playlistSelect, toPlaylist } from './playlist.ts';
import type { CreatePlaylistBody, EditPlaylistBody, Playlist } from './schemas.ts';

/** A signed-in user creates this many playlists per hour at most (429 beyond). */
export const PLAYLISTS_PER_HOUR = 30;

async function playlistById(id: string) {
  const [row] = await sql<PlaylistRow[]>`${playlistSelect} where p.id = ${id}`;
  if (!row) throw new NotFound('No playlist with this id');
  return toPlaylist(row);
}

/**
 * Creates an empty playlist owned by the caller (any role).
 *
 * @example
 * const playlist = await createPlaylist(caller, { title: 'Guitar lessons', description: '', visibility: 'public' });
 */
export async function createPlaylist(caller: Principal, body: CreatePlaylistBody): Promise<Playlist> {
  const [created] = await sql<{ id: string }[]>`
    insert into playlists ${sql({ ownerId: caller.userId, ...body })} returning id
  `;
  return playlistById((created as { id: string }).id);
}

/**
 * A playlist as the caller may see it (private: owner and admins only; anyone else gets a 404).
 *
 * @example
 * const { title, videoCount } = await getPlaylist(caller, id);
 */
export async function getPlaylist(caller: Principal | undefined, id: string): Promise<Playlist> {
  return toPlaylist(await findVisiblePlaylist(caller, id));
}

const EDITABLE = ['title', 'description', 'visibility'] as const;
const mayManage = (caller: Principal) =>
  caller.role === 'admin' ? sql`true` : sql`owner_id = ${caller.userId}`;

/**
 * Changes a playlist's title, description or visibility, for its owner or an admin; anyone else gets the 404 of a
 * missing playlist.
 *
 * @example
 * const playlist = await editPlaylist(caller, id, { visibility: 'private' });
 */
export async function editPlaylist(
  caller: Principal,
  id: string,
  changes: EditPlaylistBody,
): Promise<Playlist> {
  const columns = EDITABLE.filter((column) => changes[column] !== undefined);
  const [edited] =
    columns.length > 0
      ? await sql`
          update playlists set ${sql(changes, columns)}, updated_at = now()
          where id = ${id} and ${mayManage(caller)} returning id
        `
      : await sql`select id from playlists where id = ${id} and ${mayManage(caller)}`;
  if (!edited) throw new NotFound('No playlist with this id');
  return playlistById(id);
}

/**
 * Deletes a playlist and its items (owner or admin; 404 for anyone else); the videos stay.
 *
 * @example
 * await deletePlaylist(caller, id);
 */
export async function deletePlaylist(caller: Principal, id: string): Promise<void> {
  const deleted = await sql`delete from playlists where id = ${id} and ${mayManage(caller)}`;
  if (deleted.count === 0) throw new NotFound('No playlist with this id');
}
