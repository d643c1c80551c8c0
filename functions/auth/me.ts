import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { getOwnUser } from '#lib/users/profile.ts';
import { User } from '#lib/users/schemas.ts';

/** GET /auth/me: the signed-in user's own account. */
export const handler = route(
  { responses: { 200: User }, summary: 'The signed-in user' },
  async ({ caller }) => json(200, await getOwnUser(caller.userId)),
);
