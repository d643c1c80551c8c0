import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { deletePlaylist } from '#lib/playlists/playlists.ts';
import { PlaylistIdParams } from '#lib/playlists/schemas.ts';

/** DELETE /playlists/{id}: owner or admin; the videos stay. */
export const handler = route(
  { params: PlaylistIdParams, responses: { 204: null }, summary: 'Delete a playlist' },
  async ({ params, caller }) => {
    await deletePlaylist(caller, params.id);
    return noContent();
  },
);
