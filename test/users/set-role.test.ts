import { describe, expect, it } from 'vitest';
import { handler as setRoleHandler } from '#functions/users/set-role.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

const setRole = (token: string, id: string, body: unknown) =>
  callApi(setRoleHandler, {
    method: 'PATCH',
    path: `/api/v1/admin/users/${id}`,
    pathParameters: { id },
    token,
    body,
  });

describe('PATCH /admin/users/{id}', () => {
  it('lets an admin change another user’s role, returning the user', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });
    const user = await createUser();

    // Act
    const response = await setRole(admin.accessToken, user.id, { role: 'creator' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: user.id,
      email: user.email,
      username: user.username,
      displayName: user.displayName,
      bio: '',
      role: 'creator',
      createdAt: expect.any(String),
      storageLimitBytes: null,
      dailyUploadLimitBytes: null,
    });
    const [row] = await sql`select role from users where id = ${user.id}`;
    expect(row?.role).toBe('creator');
  });

  it('sets a user’s own storage and daily upload quotas, and null gives the defaults back', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });
    const user = await createUser({ role: 'creator' });

    // Act
    const set = await setRole(admin.accessToken, user.id, {
      storageLimitBytes: 1_000,
      dailyUploadLimitBytes: 0,
    });
    const reset = await setRole(admin.accessToken, user.id, { dailyUploadLimitBytes: null });

    // Assess
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ role: 'creator', storageLimitBytes: 1_000, dailyUploadLimitBytes: 0 });
    expect(reset.body).toMatchObject({ storageLimitBytes: 1_000, dailyUploadLimitBytes: null });
  });

  it.each(['viewer', 'creator'] as const)('refuses a %s with 403 and changes nothing', async (role) => {
    // Prepare
    const caller = await createUser({ role });
    const user = await createUser();

    // Act
    const response = await setRole(caller.accessToken, user.id, { role: 'admin' });

    // Assess
    expectProblem(response, 403, { slug: 'forbidden', detail: 'Your role may not do this' });
    const [row] = await sql`select role from users where id = ${user.id}`;
    expect(row?.role).toBe('viewer');
  });

  it('refuses to let an admin change their own role (409)', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });

    // Act
    const response = await setRole(admin.accessToken, admin.id, { role: 'viewer' });

    // Assess
    expectProblem(response, 409, { detail: 'You cannot change your own role' });
    const [row] = await sql`select role from users where id = ${admin.id}`;
    expect(row?.role).toBe('admin');
  });

  it('answers 404 for an unknown user', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });

    // Act
    const response = await setRole(admin.accessToken, '00000000-0000-4000-8000-000000000000', {
      role: 'creator',
    });

    // Assess
    expectProblem(response, 404, { detail: 'No user with this id' });
  });

  it.each([
    ['an unknown role', { role: 'owner' }, ['body.role']],
    ['other fields', { role: 'creator', email: 'x@example.test' }, ['body']],
    ['no change at all', {}, ['body']],
    ['a negative quota', { storageLimitBytes: -1 }, ['body.storageLimitBytes']],
    ['a fractional quota', { dailyUploadLimitBytes: 1.5 }, ['body.dailyUploadLimitBytes']],
  ])('refuses %s with 400', async (_case, body, paths) => {
    // Prepare
    const admin = await createUser({ role: 'admin' });
    const user = await createUser();

    // Act
    const response = await setRole(admin.accessToken, user.id, body);

    // Assess
    expectProblem(response, 400, { paths });
  });

  it('answers 400 for a malformed id', async () => {
    // Prepare
    const admin = await createUser({ role: 'admin' });

    // Act
    const response = await setRole(admin.accessToken, 'not-a-uuid', { role: 'creator' });

    // Assess
    expectProblem(response, 400, { paths: ['params.id'] });
  });
});
