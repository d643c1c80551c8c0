import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { PageQuery } from '#lib/pagination.ts';
import { PlaylistPage } from '#lib/playlists/schemas.ts';
import { playlistsOf } from '#lib/playlists/user-playlists.ts';
import { IdOrUsernameParams } from '#lib/users/schemas.ts';

/** GET /users/{idOrUsername}/playlists: a user's public playlists; all of them for the user and admins. */
export const handler = route(
  {
    auth: 'optional',
    params: IdOrUsernameParams,
    query: PageQuery,
    responses: { 200: PlaylistPage },
    summary: "A user's playlists, newest first (public ones; all for the user and admins)",
  },
  async ({ params, query, caller }) => json(200, await playlistsOf(caller, params.idOrUsername, query)),
);
