import { randomUUID } from 'node:crypto';
import { sql } from '#lib/db.ts';
import type { VideoVisibility } from '#lib/videos/schemas.ts';

/**
 * Inserts a playlist straight into the database (default: public), holding `videos` at positions 1..n in the
 * order given; tests of the routes themselves go through the handlers.
 *
 * @example
 * const playlist = await createPlaylist(owner, { videos: [first, second] });
 */
export async function createPlaylist(
  owner: { id: string },
  overrides: { title?: string; visibility?: VideoVisibility; videos?: readonly { id: string }[] } = {},
) {
  const id = randomUUID();
  await sql`
    insert into playlists (id, owner_id, title, visibility)
    values (${id}, ${owner.id}, ${overrides.title ?? `Playlist ${id.slice(0, 8)}`}, ${overrides.visibility ?? 'public'})
  `;
  const videoIds = (overrides.videos ?? []).map((video) => video.id);
  if (videoIds.length > 0) {
    await sql`
      insert into playlist_items (playlist_id, video_id, position)
      select ${id}, video_id, position::int from unnest(${videoIds}::uuid[]) with ordinality as item(video_id, position)
    `;
  }
  return { id, ownerId: owner.id };
}

/** The video ids of a playlist in stored position order, with their positions. */
export async function storedItems(playlistId: string) {
  return sql<{ videoId: string; position: number }[]>`
    select video_id, position from playlist_items where playlist_id = ${playlistId} order by position
  `;
}
