import { describe, expect, it } from 'vitest';
import { handler as changePassword } from '#functions/auth/change-password.ts';
import { handler as refresh } from '#functions/auth/refresh.ts';
import { sql } from '#lib/db.ts';
import { loginAs, registerUser } from '../support/auth-factories.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { callApi } from '../support/lambda.ts';

const changeWith = (token: string | undefined, body: unknown) =>
  callApi(changePassword, { method: 'POST', path: '/api/v1/auth/password', token, body });

describe('POST /auth/password', () => {
  it('changes the password and revokes every refresh token of the user', async () => {
    // Prepare
    const user = await registerUser();
    const secondSession = (await loginAs(user)).body as { refreshToken: string };

    // Act
    const response = await changeWith(user.accessToken, {
      currentPassword: user.password,
      newPassword: 'a brand new passphrase',
    });

    // Assess
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    expect(response.cookies[0]).toMatch(/^refreshToken=; .*Max-Age=0$/);
    const live = await sql`select 1 from refresh_tokens where user_id = ${user.id} and revoked_at is null`;
    expect(live).toHaveLength(0);
    for (const refreshToken of [user.refreshToken, secondSession.refreshToken]) {
      const refreshed = await callApi(refresh, {
        method: 'POST',
        path: '/api/v1/auth/refresh',
        body: { refreshToken },
      });
      expectProblem(refreshed, 401);
    }
    expectProblem(await loginAs(user), 401);
    expect((await loginAs({ email: user.email, password: 'a brand new passphrase' })).status).toBe(200);
  });

  it('refuses a wrong current password with 403, counts it as a failed sign-in, and changes nothing', async () => {
    // Prepare
    const user = await registerUser();
    const [before] = await sql`select password_hash from users where id = ${user.id}`;

    // Act
    const response = await changeWith(user.accessToken, {
      currentPassword: 'not my password',
      newPassword: 'a brand new passphrase',
    });

    // Assess
    expectProblem(response, 403, { slug: 'forbidden', detail: 'The current password is not correct' });
    const [after] = await sql`select password_hash from users where id = ${user.id}`;
    expect(after?.passwordHash).toBe(before?.passwordHash);
    const [failures] =
      await sql`select failures from login_throttles where scope = 'account' and subject = ${user.email}`;
    expect(failures?.failures).toBe(1);
    const live = await sql`select 1 from refresh_tokens where user_id = ${user.id} and revoked_at is null`;
    expect(live).toHaveLength(1);
  });

  it('makes the address of a right current password known, so the account back-off does not hold it', async () => {
    // Prepare: the password changed from an office /64; an attacker then drove the account to the cap
    const user = await registerUser();
    const change = await callApi(changePassword, {
      method: 'POST',
      path: '/api/v1/auth/password',
      token: user.accessToken,
      body: { currentPassword: user.password, newPassword: 'a brand new passphrase' },
      sourceIp: '2001:db8:5:6::1',
    });
    await sql`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${user.email}, 500, now() - interval '1 minute')
    `;

    // Act
    const response = await loginAs(
      { email: user.email, password: 'a brand new passphrase' },
      '2001:db8:5:6::2',
    );

    // Assess
    expect(change.status).toBe(204);
    expect(response.status).toBe(200);
  });

  it.each([
    ['a new password shorter than 8 characters', { newPassword: 'short' }, ['body.newPassword']],
    ['a new password over 72 bytes', { newPassword: '€'.repeat(25) }, ['body.newPassword']],
    ['an unknown field', { userId: '00000000-0000-4000-8000-000000000000' }, ['body']],
  ])('refuses %s with 400', async (_case, override, paths) => {
    // Prepare
    const user = await registerUser();

    // Act
    const response = await changeWith(user.accessToken, {
      currentPassword: user.password,
      newPassword: 'a brand new passphrase',
      ...override,
    });

    // Assess
    expectProblem(response, 400, { paths });
  });

  it('requires a signed-in caller', async () => {
    // Act
    const response = await changeWith(undefined, {
      currentPassword: 'x',
      newPassword: 'a brand new passphrase',
    });

    // Assess
    expectProblem(response, 401);
  });
});
