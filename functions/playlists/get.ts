import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { getPlaylist } from '#lib/playlists/playlists.ts';
import { Playlist, PlaylistIdParams } from '#lib/playlists/schemas.ts';

/** GET /playlists/{id}: the videos' visibility rules (private: owner and admins only). */
export const handler = route(
  {
    auth: 'optional',
    params: PlaylistIdParams,
    responses: { 200: Playlist },
    summary: 'Get a playlist (private playlists: owner and admins only)',
  },
  async ({ params, caller }) => json(200, await getPlaylist(caller, params.id)),
);
