import { describe, expect, it } from 'vitest';
import { problemStatuses } from '#tools/openapi/document.ts';
import type { RouteWithHandler } from '#tools/openapi/route-table.ts';
import { type RegisteredUser, registerUser } from '../support/auth-factories.ts';
import { createUser, createVideo, type TestUser } from '../support/factories.ts';
import { callRoute, findRoute, serviceRoutes } from '../support/fuzz-routes.ts';
import type { ApiCall, ApiResult } from '../support/lambda.ts';

const routes = await serviceRoutes();
const route = (name: string) => findRoute(routes, name);
const documentedStatuses = (candidate: RouteWithHandler) => [
  ...Object.keys(candidate.options.responses ?? {}).map(Number),
  ...problemStatuses(candidate.options),
];

interface Callers {
  /** Signed up through the API: a password and a refresh token. */
  user: RegisteredUser;
  admin: TestUser;
}

interface Case {
  name: string;
  status: number;
  call: (callers: Callers) => Promise<[Record<string, string>, ApiCall]>;
}

/** A video of the caller's that is still waiting for its upload (not watchable yet). */
const pendingVideoOf = async (caller: { id: string }) =>
  ({ id: (await createVideo(caller, { status: 'awaiting_upload' })).id }) as Record<string, string>;

// The problem statuses a route answers by design (API.md) that its route options do not imply; each must be in
// the route's OpenAPI operation (`errors` in its route options), or clients generated from the document miss them.
const CASES: Case[] = [
  {
    name: 'POST /api/v1/auth/login',
    status: 401,
    call: async ({ user }) => [{}, { body: { email: user.email, password: 'not the password' } }],
  },
  {
    name: 'POST /api/v1/auth/refresh',
    status: 401,
    call: async () => [{}, { body: { refreshToken: 'never-issued' } }],
  },
  { name: 'POST /api/v1/auth/logout', status: 401, call: async () => [{}, {}] },
  {
    name: 'POST /api/v1/auth/register',
    status: 409,
    call: async ({ user }) => [
      {},
      { body: { email: user.email, username: 'another_name', password: 'long enough pw' } },
    ],
  },
  {
    name: 'POST /api/v1/auth/password',
    status: 403,
    call: async ({ user }) => [
      {},
      {
        token: user.accessToken,
        body: { currentPassword: 'not the password', newPassword: 'long enough pw' },
      },
    ],
  },
  {
    name: 'PATCH /api/v1/admin/users/{id}',
    status: 409,
    call: async ({ admin }) => [{ id: admin.id }, { token: admin.accessToken, body: { role: 'viewer' } }],
  },
  {
    name: 'GET /api/v1/videos/{id}/like',
    status: 409,
    call: async ({ user }) => [await pendingVideoOf(user), { token: user.accessToken }],
  },
  {
    name: 'PUT /api/v1/videos/{id}/like',
    status: 409,
    call: async ({ user }) => [await pendingVideoOf(user), { token: user.accessToken }],
  },
  {
    name: 'DELETE /api/v1/videos/{id}/like',
    status: 409,
    call: async ({ user }) => [await pendingVideoOf(user), { token: user.accessToken }],
  },
  {
    name: 'POST /api/v1/videos/{id}/views',
    status: 409,
    call: async ({ user }) => [await pendingVideoOf(user), { token: user.accessToken }],
  },
];

describe('the API document lists what the API answers (API9)', () => {
  it.each(CASES.map((entry) => [entry.name, entry.status, entry] as const))(
    '%s documents its %s',
    async (_name, _status, { name, status, call }) => {
      // Prepare
      const callers = { user: await registerUser(), admin: await createUser({ role: 'admin' }) };
      const candidate = route(name);
      const [values, request] = await call(callers);

      // Act
      const response: ApiResult = await callRoute(candidate, values, request);

      // Assess
      expect(response.status).toBe(status);
      expect(documentedStatuses(candidate), `${name} answers ${status} without documenting it`).toContain(
        status,
      );
    },
  );
});
