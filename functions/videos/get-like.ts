import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { likesVideo } from '#lib/videos/likes.ts';
import { LikeState, VideoIdParams } from '#lib/videos/schemas.ts';

/** GET /videos/{id}/like: whether the caller likes the video, so a Like button starts pressed or not. */
export const handler = route(
  {
    params: VideoIdParams,
    responses: { 200: LikeState },
    errors: [404, 409],
    summary: 'Whether you like a video',
  },
  async ({ params, caller }) => json(200, await likesVideo(caller, params.id)),
);
