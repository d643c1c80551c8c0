import { rateLimit } from '#lib/http/rate-limit.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { createPlaylist, PLAYLISTS_PER_HOUR } from '#lib/playlists/playlists.ts';
import { CreatePlaylistBody, Playlist } from '#lib/playlists/schemas.ts';

/** POST /playlists: any signed-in user creates a playlist, a few dozen an hour at most. */
export const handler = route(
  {
    body: CreatePlaylistBody,
    responses: { 201: Playlist },
    summary: 'Create a playlist',
  },
  async ({ body, caller }) => json(201, await createPlaylist(caller, body)),
).use(rateLimit({ scope: 'playlists.create', limit: PLAYLISTS_PER_HOUR, windowSeconds: 3600 }));
