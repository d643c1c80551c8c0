import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { deleteVideo } from '#lib/videos/delete-video.ts';
import { VideoIdParams } from '#lib/videos/schemas.ts';

/** DELETE /videos/{id}: owner or admin; the stored object and any unfinished upload go too. */
export const handler = route(
  { params: VideoIdParams, responses: { 204: null }, summary: 'Delete a video and its stored object' },
  async ({ params, caller }) => {
    await deleteVideo(caller, params.id);
    return noContent();
  },
);
