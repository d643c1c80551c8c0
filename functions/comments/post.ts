import { postComment } from '#lib/comments/post-comment.ts';
import { Comment, PostCommentRequest } from '#lib/comments/schemas.ts';
import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { VideoIdParams } from '#lib/videos/schemas.ts';

/** POST /videos/{id}/comments: a comment or a reply, published or held as the video's rules decide. */
export const handler = route(
  {
    params: VideoIdParams,
    body: PostCommentRequest,
    rateLimit: 'posting',
    responses: { 201: Comment },
    errors: [403, 409],
    summary: 'Comment on a video, or reply to a comment',
  },
  async ({ params, body, caller }) => json(201, await postComment(caller, params.id, body)),
);
