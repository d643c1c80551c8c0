import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { getPublicProfile } from '#lib/users/profile.ts';
import { IdOrUsernameParams, PublicProfile } from '#lib/users/schemas.ts';

/** GET /users/{idOrUsername}: anyone may read a public profile. */
export const handler = route(
  {
    auth: 'none',
    params: IdOrUsernameParams,
    responses: { 200: PublicProfile },
    summary: 'A public profile by user id or username',
  },
  async ({ params }) => json(200, await getPublicProfile(params.idOrUsername)),
);
