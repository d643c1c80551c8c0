import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { addPlaylistItem } from '#lib/playlists/playlist-items.ts';
import { AddPlaylistItemBody, PlaylistIdParams, PlaylistItem } from '#lib/playlists/schemas.ts';

/** POST /playlists/{id}/items: owner or admin adds a video they may see, at a position or at the end. */
export const handler = route(
  {
    params: PlaylistIdParams,
    body: AddPlaylistItemBody,
    responses: { 201: PlaylistItem },
    errors: [409],
    summary: 'Add a video to a playlist (once per playlist, 5000 at most)',
  },
  async ({ params, body, caller }) => json(201, await addPlaylistItem(caller, params.id, body)),
);
