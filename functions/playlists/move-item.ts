import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { movePlaylistItem } from '#lib/playlists/playlist-items.ts';
import { MovePlaylistItemBody, PlaylistItemParams } from '#lib/playlists/schemas.ts';

/** PATCH /playlists/{id}/items/{videoId}: owner or admin moves a video; the others shift. */
export const handler = route(
  {
    params: PlaylistItemParams,
    body: MovePlaylistItemBody,
    responses: { 204: null },
    summary: 'Move a video of a playlist to another position',
  },
  async ({ params, body, caller }) => {
    await movePlaylistItem(caller, params.id, params.videoId, body);
    return noContent();
  },
);
