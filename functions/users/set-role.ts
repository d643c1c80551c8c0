import { json } from '#lib/http/response.ts';
import { route } from '#lib/http/route.ts';
import { setUserRole } from '#lib/users/profile.ts';
import { UpdateRoleRequest, User, UserIdParams } from '#lib/users/schemas.ts';

/** PATCH /admin/users/{id}: an admin changes another user's role. */
export const handler = route(
  {
    roles: ['admin'],
    errors: [409],
    params: UserIdParams,
    body: UpdateRoleRequest,
    responses: { 200: User },
    summary: "Change a user's role (admin)",
  },
  async ({ params, body, caller }) =>
    json(200, await setUserRole({ userId: params.id, role: body.role, by: caller.userId })),
);
