import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { editVideo } from '#lib/videos/edit-video.ts';
import { EditVideoRequest, Video, VideoIdParams } from '#lib/videos/schemas.ts';

/** PATCH /videos/{id}: the owner or an admin edits title, description or visibility. */
export const handler = route(
  {
    params: VideoIdParams,
    body: EditVideoRequest,
    responses: { 200: Video },
    summary: "Edit a video's title, description or visibility",
  },
  async ({ params, body, caller }) => json(200, await editVideo(caller, params.id, body)),
);
