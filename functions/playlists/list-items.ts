import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { PageQuery } from '#lib/pagination.ts';
import { playlistItems } from '#lib/playlists/playlist-items.ts';
import { PlaylistIdParams, PlaylistItemPage } from '#lib/playlists/schemas.ts';

/** GET /playlists/{id}/items: the videos in position order, without those the caller may not see. */
export const handler = route(
  {
    auth: 'optional',
    params: PlaylistIdParams,
    query: PageQuery,
    responses: { 200: PlaylistItemPage },
    summary: "A page of a playlist's videos in position order",
  },
  async ({ params, query, caller }) => json(200, await playlistItems(caller, params.id, query)),
);
