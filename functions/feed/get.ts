import { feedOf } from '#lib/catalogue/feed.ts';
import { PageQuery } from '#lib/catalogue/pagination.ts';
import { VideoPage } from '#lib/catalogue/video-page.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';

/** GET /feed: public videos of the channels the caller subscribes to, newest first. */
export const handler = route(
  {
    query: PageQuery,
    responses: { 200: VideoPage },
    summary: 'Videos of the channels you subscribe to',
  },
  async ({ query, caller }) => json(200, await feedOf(caller.userId, query)),
);
