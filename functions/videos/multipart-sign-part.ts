import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { signUploadPart } from '#lib/videos/multipart-upload.ts';
import { PartParams, SignedPart } from '#lib/videos/schemas.ts';

/** GET /videos/{id}/multipart/{uploadId}/parts/{partNumber}: a presigned URL for one part (Uppy `signPart`). */
export const handler = route(
  { params: PartParams, responses: { 200: SignedPart }, summary: 'Sign the upload of one part' },
  async ({ params, caller }) =>
    json(200, await signUploadPart(caller, params.id, params.uploadId, params.partNumber)),
);
