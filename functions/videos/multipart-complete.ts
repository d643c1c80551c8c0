import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { completeUpload } from '#lib/videos/multipart-upload.ts';
import { CompletedUpload, CompleteUploadBody, MultipartParams } from '#lib/videos/schemas.ts';

/** POST /videos/{id}/multipart/{uploadId}/complete: assembles the parts (Uppy `completeMultipartUpload`). */
export const handler = route(
  {
    params: MultipartParams,
    body: CompleteUploadBody,
    // Up to 10,000 parts of `{ PartNumber, ETag }`.
    maxBodyBytes: 1024 * 1024,
    responses: { 200: CompletedUpload },
    summary: 'Complete a multipart upload',
  },
  async ({ params, body, caller }) =>
    json(200, await completeUpload(caller, params.id, params.uploadId, body.parts)),
);
