import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { likeVideo } from '#lib/videos/likes.ts';
import { VideoIdParams } from '#lib/videos/schemas.ts';

/** PUT /videos/{id}/like: idempotent. */
export const handler = route(
  { params: VideoIdParams, responses: { 204: null }, errors: [409], summary: 'Like a video' },
  async ({ params, caller }) => {
    await likeVideo(caller, params.id);
    return noContent();
  },
);
