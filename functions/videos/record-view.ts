import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { VideoIdParams } from '#lib/videos/schemas.ts';
import { recordView } from '#lib/videos/views.ts';

/** POST /videos/{id}/views: counted at most once per viewer (user, or client address) per video per hour. */
export const handler = route(
  {
    auth: 'optional',
    params: VideoIdParams,
    responses: { 204: null },
    errors: [409],
    summary: 'Record a view of a video',
  },
  async ({ params, caller, clientAddress }) => {
    await recordView({ caller, clientAddress }, params.id);
    return noContent();
  },
);
