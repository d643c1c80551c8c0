import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { removePlaylistItem } from '#lib/playlists/playlist-items.ts';
import { PlaylistItemParams } from '#lib/playlists/schemas.ts';

/** DELETE /playlists/{id}/items/{videoId}: owner or admin; the later videos move up. */
export const handler = route(
  { params: PlaylistItemParams, responses: { 204: null }, summary: 'Remove a video from a playlist' },
  async ({ params, caller }) => {
    await removePlaylistItem(caller, params.id, params.videoId);
    return noContent();
  },
);
