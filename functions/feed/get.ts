import { feedOf } from '#lib/feed/feed.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { PageQuery } from '#lib/pagination.ts';
import { VideoPage } from '#lib/videos/schemas.ts';

/** GET /feed: public videos of the channels the caller subscribes to, newest first. */
export const handler = route(
  {
    query: PageQuery,
    responses: { 200: VideoPage },
    summary: 'Videos of the channels you subscribe to',
  },
  async ({ query, caller }) => json(200, await feedOf(caller.userId, query)),
);
