import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { ListVideosQuery, listVideos } from '#lib/videos/list-videos.ts';
import { VideoPage } from '#lib/videos/video-page.ts';

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
