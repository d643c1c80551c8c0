import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { listUploadParts } from '#lib/videos/multipart-upload.ts';
import { MultipartParams, UploadedParts } from '#lib/videos/schemas.ts';

/** GET /videos/{id}/multipart/{uploadId}/parts: the parts uploaded so far (Uppy `listParts`). */
export const handler = route(
  { params: MultipartParams, responses: { 200: UploadedParts }, summary: 'List the uploaded parts' },
  async ({ params, caller }) => json(200, await listUploadParts(caller, params.id, params.uploadId)),
);
