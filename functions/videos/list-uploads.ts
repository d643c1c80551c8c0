import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { PageQuery } from '#lib/pagination.ts';
import { listResumableUploads } from '#lib/videos/resumable-uploads.ts';
import { ResumableUploadPage } from '#lib/videos/schemas.ts';

/** GET /users/me/uploads: the caller's unfinished uploads with the parts already stored, to resume them. */
export const handler = route(
  {
    query: PageQuery,
    responses: { 200: ResumableUploadPage },
    summary: 'Your unfinished uploads, with the parts already stored',
  },
  async ({ query, caller }) => json(200, await listResumableUploads(caller, query)),
);
