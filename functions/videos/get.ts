import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { getVideo } from '#lib/videos/get-video.ts';
import { VideoDetails, VideoIdParams } from '#lib/videos/schemas.ts';

/** GET /videos/{id}: the video, with a presigned playback URL once it is ready. */
export const handler = route(
  {
    auth: 'optional',
    params: VideoIdParams,
    responses: { 200: VideoDetails },
    summary: 'Get a video (private and unfinished videos: owner and admins only)',
  },
  async ({ params, caller }) => json(200, await getVideo(caller, params.id)),
);
