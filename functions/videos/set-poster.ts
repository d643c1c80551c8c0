import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { recutPoster } from '#lib/media/redrive.ts';
import { PosterRequest, VideoIdParams } from '#lib/videos/schemas.ts';

/** PUT /videos/{id}/poster: the poster is cut again from `atSeconds`. */
export const handler = route(
  {
    params: VideoIdParams,
    body: PosterRequest,
    responses: { 202: null },
    errors: [404, 409],
    summary: 'Choose the moment the poster is cut from (owner or admin)',
  },
  async ({ params, body, caller }) => {
    await recutPoster(caller, params.id, body.atSeconds);
    return { ...noContent(), statusCode: 202 };
  },
);
