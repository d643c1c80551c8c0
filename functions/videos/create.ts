import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { createVideo } from '#lib/videos/create-video.ts';
import { CreatedVideo, CreateVideoBody } from '#lib/videos/schemas.ts';

/** POST /videos: registers a video and returns how to upload its bytes straight to storage. */
export const handler = route(
  {
    roles: ['creator', 'admin'],
    body: CreateVideoBody,
    responses: { 201: CreatedVideo },
    summary: 'Create a video and get its upload URL (presigned PUT, or multipart above the threshold)',
  },
  async ({ body, caller }) => json(201, await createVideo(caller, body)),
);
