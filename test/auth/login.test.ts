import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { handler as login } from '#functions/auth/login.ts';
import { sql } from '#lib/db.ts';
import { loginAs, registerUser } from '../support/auth-factories.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

const WRONG_CREDENTIALS = {
  type: 'urn:clipiq:problem:unauthorized',
  title: 'Unauthorized',
  status: 401,
  detail: 'The email or password is not correct',
};

describe('POST /auth/login', () => {
  it('signs a user in with any letter case of the email, returning the session and the cookie', async () => {
    // Prepare
    const user = await registerUser();

    // Act
    const response = await loginAs({ email: user.email.toUpperCase(), password: user.password });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      user: {
        id: user.id,
        email: user.email,
        username: user.username,
        displayName: user.username,
        bio: '',
        role: 'viewer',
        createdAt: expect.any(String),
      },
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
    });
    expect(response.cookies[0]).toMatch(
      /^refreshToken=[\w-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/api\/v1\/auth;/,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.stringify(response.body)).not.toMatch(/\$2[aby]\$/);
    const families = await sql`select distinct family_id from refresh_tokens where user_id = ${user.id}`;
    expect(families).toHaveLength(2);
  });

  it('answers an unknown email and a wrong password with the same status and body', async () => {
    // Prepare
    const user = await registerUser();

    // Act
    const unknownEmail = await loginAs({ email: 'nobody@example.test', password: user.password });
    const wrongPassword = await loginAs({ email: user.email, password: 'not the password' });

    // Assess
    expectProblem(unknownEmail, 401);
    expectProblem(wrongPassword, 401);
    expect(unknownEmail.body).toEqual(WRONG_CREDENTIALS);
    expect(wrongPassword.body).toEqual(WRONG_CREDENTIALS);
    expect(unknownEmail.headers).toEqual(wrongPassword.headers);
  });

  it('spends similar time on an unknown email as on a wrong password (a dummy bcrypt comparison)', async () => {
    // Prepare
    const user = await registerUser();
    const timed = async (email: string) => {
      const started = performance.now();
      await loginAs({ email, password: 'not the password' }, '198.51.100.7');
      return performance.now() - started;
    };
    await timed('warm-up@example.test');

    // Act
    const unknown = await timed('nobody@example.test');
    const known = await timed(user.email);

    // Assess: both do one cost-10 bcrypt comparison (tens of ms); without the dummy the unknown one is ~1 ms.
    expect(unknown).toBeGreaterThan(known / 5);
    expect(unknown).toBeGreaterThan(20);
  });

  it('rejects a password over 72 bytes, so 72×"a"+"Y" cannot sign in as 72×"a"+"X"', async () => {
    // Prepare
    const user = await registerUser({ password: 'a'.repeat(72) });

    // Act
    const longer = await loginAs({ email: user.email, password: `${'a'.repeat(72)}Y` });
    const exact = await loginAs({ email: user.email, password: 'a'.repeat(72) });

    // Assess
    expectProblem(longer, 400, { paths: ['body.password'] });
    expect(longer.body).toMatchObject({ errors: [{ message: 'must be at most 72 bytes in UTF-8' }] });
    expect(exact.status).toBe(200);
  });

  it('rehashes a password stored at a lower cost than the configured one', async () => {
    // Prepare: the factory stores cost-4 hashes
    const user = await createUser();
    const [before] = await sql`select password_hash from users where id = ${user.id}`;

    // Act
    const response = await loginAs(user);

    // Assess
    expect(response.status).toBe(200);
    const [after] = await sql`select password_hash from users where id = ${user.id}`;
    expect(bcrypt.getRounds(before?.passwordHash)).toBe(4);
    expect(bcrypt.getRounds(after?.passwordHash)).toBe(10);
    expect(await bcrypt.compare(user.password, after?.passwordHash)).toBe(true);
  });

  it('refuses unknown fields with 400', async () => {
    // Act
    const response = await callApi(login, {
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: 'a@example.test', password: 'x', role: 'admin' },
    });

    // Assess
    expectProblem(response, 400, { paths: ['body'] });
  });
});
