import { describe, expect, it } from 'vitest';
import { handler as getProfile } from '#functions/users/get.ts';
import { handler as updateMe } from '#functions/users/update-me.ts';
import { sql } from '#lib/db.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

const profileOf = (idOrUsername: string) =>
  callApi(getProfile, { path: `/api/v1/users/${idOrUsername}`, pathParameters: { idOrUsername } });
const patchMe = (token: string | undefined, body: unknown) =>
  callApi(updateMe, { method: 'PATCH', path: '/api/v1/users/me', token, body });

describe('GET /users/{idOrUsername}', () => {
  it('shows anyone the public profile by id or by username, with the stored counts and no email', async () => {
    // Prepare
    const user = await createUser({ role: 'creator', displayName: 'Ada Films' });
    await sql`update users set subscriber_count = 3, video_count = 2, bio = 'Birds.' where id = ${user.id}`;
    const expected = {
      id: user.id,
      username: user.username,
      displayName: 'Ada Films',
      bio: 'Birds.',
      role: 'creator',
      subscriberCount: 3,
      videoCount: 2,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    };

    // Act
    const byId = await profileOf(user.id);
    const byUsername = await profileOf(user.username);

    // Assess
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(expected);
    expect(byUsername.status).toBe(200);
    expect(byUsername.body).toEqual(expected);
    expect(JSON.stringify(byId.body)).not.toContain(user.email);
  });

  it.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['an unknown username', 'nobody_here'],
  ])('answers 404 for %s', async (_case, idOrUsername) => {
    // Act
    const response = await profileOf(idOrUsername);

    // Assess
    expectProblem(response, 404, { slug: 'not-found', detail: 'No user with this id or username' });
  });

  it('answers 400 for something that can be neither an id nor a username', async () => {
    // Act
    const response = await profileOf('Not A Name!');

    // Assess
    expectProblem(response, 400, { paths: ['params.idOrUsername'] });
  });
});

describe('PATCH /users/me', () => {
  it('changes the display name and bio and returns the own view', async () => {
    // Prepare
    const user = await createUser();

    // Act
    const response = await patchMe(user.accessToken, { displayName: ' New Name ', bio: 'I film birds.' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: user.id,
      email: user.email,
      username: user.username,
      displayName: 'New Name',
      bio: 'I film birds.',
      role: 'viewer',
      createdAt: expect.any(String),
    });
    const [row] = await sql`select display_name, bio from users where id = ${user.id}`;
    expect(row).toEqual({ displayName: 'New Name', bio: 'I film birds.' });
  });

  it('writes only the fields sent', async () => {
    // Prepare
    const user = await createUser({ displayName: 'Kept' });

    // Act
    const response = await patchMe(user.accessToken, { bio: 'Only the bio.' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ displayName: 'Kept', bio: 'Only the bio.' });
  });

  it.each([
    ['role', { role: 'admin' }],
    ['email', { email: 'taken-over@example.test' }],
    ['username', { username: 'renamed' }],
    ['subscriberCount', { subscriberCount: 1_000_000 }],
    ['videoCount', { videoCount: 99 }],
    ['id', { id: '00000000-0000-4000-8000-000000000000' }],
    ['passwordHash', { passwordHash: 'x' }],
  ])('refuses the mass-assigned field %s with 400 and changes nothing', async (field, extra) => {
    // Prepare
    const user = await createUser();

    // Act
    const response = await patchMe(user.accessToken, { bio: 'sneaky', ...extra });

    // Assess
    expectProblem(response, 400, { paths: ['body'] });
    expect(JSON.stringify(response.body)).toContain(field);
    const [row] =
      await sql`select role, email, username, bio, subscriber_count from users where id = ${user.id}`;
    expect(row).toEqual({
      role: 'viewer',
      email: user.email,
      username: user.username,
      bio: '',
      subscriberCount: 0,
    });
  });

  it.each([
    ['an empty display name', { displayName: '   ' }, 'body.displayName'],
    ['a display name over 60 characters', { displayName: 'x'.repeat(61) }, 'body.displayName'],
    ['a bio over 1000 characters', { bio: 'x'.repeat(1001) }, 'body.bio'],
    ['a non-string bio', { bio: 42 }, 'body.bio'],
  ])('refuses %s with 400', async (_case, body, path) => {
    // Prepare
    const user = await createUser();

    // Act
    const response = await patchMe(user.accessToken, body);

    // Assess
    expectProblem(response, 400, { paths: [path] });
  });

  it('requires a signed-in caller', async () => {
    // Act
    const response = await patchMe(undefined, { bio: 'anonymous' });

    // Assess
    expectProblem(response, 401);
  });
});
