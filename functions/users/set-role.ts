import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { updateUserAsAdmin } from '#lib/users/profile.ts';
import { ManagedUser, UpdateRoleRequest, UserIdParams } from '#lib/users/schemas.ts';

/** PATCH /admin/users/{id}: an admin changes another user's role and quotas. */
export const handler = route(
  {
    roles: ['admin'],
    errors: [409],
    params: UserIdParams,
    body: UpdateRoleRequest,
    responses: { 200: ManagedUser },
    summary: "Change a user's role and quotas (admin)",
  },
  async ({ params, body, caller }) => json(200, await updateUserAsAdmin(caller.userId, params.id, body)),
);
