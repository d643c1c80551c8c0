import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { editPlaylist } from '#lib/playlists/playlists.ts';
import { EditPlaylistBody, Playlist, PlaylistIdParams } from '#lib/playlists/schemas.ts';

/** PATCH /playlists/{id}: the owner or an admin edits title, description or visibility. */
export const handler = route(
  {
    params: PlaylistIdParams,
    body: EditPlaylistBody,
    responses: { 200: Playlist },
    summary: "Edit a playlist's title, description or visibility",
  },
  async ({ params, body, caller }) => json(200, await editPlaylist(caller, params.id, body)),
);
