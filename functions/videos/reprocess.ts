import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { reprocessVideo } from '#lib/media/redrive.ts';
import { VideoIdParams } from '#lib/videos/schemas.ts';

/** POST /videos/{id}/reprocess: renditions, poster and storyboard made again from the kept original. */
export const handler = route(
  {
    params: VideoIdParams,
    responses: { 202: null },
    errors: [404, 409],
    summary: 'Process a video again from its original (owner or admin)',
  },
  async ({ params, caller }) => {
    await reprocessVideo(caller, params.id);
    return json(202, { status: 'processing' });
  },
);
