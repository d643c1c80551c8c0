import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { SignedUploadRequest, SignUploadRequestBody, VideoIdParams } from '#lib/videos/schemas.ts';
import { signUploadRequest } from '#lib/videos/sign-upload-request.ts';

/** POST /videos/{id}/upload/sign: presigns one storage request of an Uppy 6 client (its `signRequest` option). */
export const handler = route(
  {
    params: VideoIdParams,
    body: SignUploadRequestBody,
    responses: { 200: SignedUploadRequest },
    errors: [409],
    summary: 'Presign one storage request of an upload (Uppy 6 `signRequest`)',
  },
  async ({ params, body, caller }) => json(200, await signUploadRequest(caller, params.id, body)),
);
