import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { updateProfile } from '#lib/users/profile.ts';
import { UpdateProfileRequest, User } from '#lib/users/schemas.ts';

/** PATCH /users/me: the caller edits their display name and bio, nothing else. */
export const handler = route(
  {
    body: UpdateProfileRequest,
    responses: { 200: User },
    summary: 'Edit your display name and bio',
  },
  async ({ body, caller }) => json(200, await updateProfile(caller.userId, body)),
);
