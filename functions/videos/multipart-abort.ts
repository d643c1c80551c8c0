import { noContent } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { abortUpload } from '#lib/videos/multipart-upload.ts';
import { MultipartParams } from '#lib/videos/schemas.ts';

/** DELETE /videos/{id}/multipart/{uploadId}: aborts the upload and frees its parts (Uppy `abortMultipartUpload`). */
export const handler = route(
  { params: MultipartParams, responses: { 204: null }, summary: 'Abort a multipart upload' },
  async ({ params, caller }) => {
    await abortUpload(caller, params.id, params.uploadId);
    return noContent();
  },
);
