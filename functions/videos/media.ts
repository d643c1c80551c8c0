import { route } from '#lib/http/route.ts';
import { serveMediaFile } from '#lib/media/media-files.ts';
import { MediaFileParams, SignedMediaQuery } from '#lib/videos/schemas.ts';

/**
 * GET /videos/{id}/media/{file}: the HLS playlists, storyboard track and poster of a video, by the signed URL in its
 * `playback` (no token: a stock player sends no header).
 */
export const handler = route(
  {
    auth: 'none',
    params: MediaFileParams,
    query: SignedMediaQuery,
    responses: { 200: null, 302: null },
    errors: [404],
    summary: 'A playlist, storyboard track or poster of a video, by its signed URL',
  },
  async ({ params, query }) => serveMediaFile(params.id, params.file, query),
);
