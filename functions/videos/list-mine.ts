import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { listMyVideos } from '#lib/videos/list-my-videos.ts';
import { MyVideosQuery, VideoPage } from '#lib/videos/schemas.ts';

/** GET /users/me/videos: the caller's own videos, every visibility and status, newest first. */
export const handler = route(
  {
    query: MyVideosQuery,
    responses: { 200: VideoPage },
    summary: 'Your own videos, every visibility and status',
  },
  async ({ query, caller }) => json(200, await listMyVideos(caller, query)),
);
