import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { createVideoOnce } from '#lib/videos/idempotent-create.ts';
import { CreatedVideo, CreateVideoBody } from '#lib/videos/schemas.ts';

/** POST /videos: registers a video and returns how to upload its bytes straight to storage. */
export const handler = route(
  {
    roles: ['creator', 'admin'],
    body: CreateVideoBody,
    responses: { 201: CreatedVideo },
    errors: [409, 422],
    summary:
      'Create a video and get its upload URL (presigned PUT, or multipart above the threshold); honours Idempotency-Key',
  },
  async ({ body, caller, event }) => {
    const { created, replayed } = await createVideoOnce(caller, event.headers['idempotency-key'], body);
    return json(201, created, replayed ? { headers: { 'idempotent-replayed': 'true' } } : {});
  },
);
