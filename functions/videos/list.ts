import { ListVideosQuery, listVideos } from '#lib/catalogue/list-videos.ts';
import { VideoPage } from '#lib/catalogue/video-page.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

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
