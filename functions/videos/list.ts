import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { listVideos } from '#lib/videos/list-videos.ts';
import { ListVideosQuery, VideoPage } from '#lib/videos/schemas.ts';

/** GET /videos: the public catalogue, newest first; `owner` narrows it to a channel, `q` searches it. */
export const handler = route(
  {
    auth: 'optional',
    query: ListVideosQuery,
    responses: { 200: VideoPage },
    summary: 'List or search public videos',
  },
  async ({ query }) => json(200, await listVideos(query)),
);
