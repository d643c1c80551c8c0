import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { unlikeVideo } from '#lib/videos/likes.ts';
import { VideoIdParams } from '#lib/videos/schemas.ts';

/** DELETE /videos/{id}/like: idempotent. */
export const handler = route(
  { params: VideoIdParams, responses: { 204: null }, errors: [409], summary: 'Take back a like' },
  async ({ params, caller }) => {
    await unlikeVideo(caller, params.id);
    return noContent();
  },
);
