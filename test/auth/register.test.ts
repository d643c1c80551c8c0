import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { handler as register } from '#functions/auth/register.ts';
import { sql } from '#lib/db.ts';
import { newAccount } from '../support/auth-factories.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { callApi } from '../support/lambda.ts';

const registerWith = (body: unknown) =>
  callApi(register, { method: 'POST', path: '/api/v1/auth/register', body });

describe('POST /auth/register', () => {
  it('creates a viewer with a lower-cased email, a bcrypt hash and a session in body and cookie', async () => {
    // Prepare
    const account = newAccount();

    // Act
    const response = await registerWith({ ...account, email: account.email.toUpperCase() });

    // Assess
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      user: {
        id: expect.any(String),
        email: account.email,
        username: account.username,
        displayName: account.username,
        bio: '',
        role: 'viewer',
        createdAt: expect.any(String),
      },
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
    });
    const { refreshToken } = response.body as { refreshToken: string };
    expect(response.cookies).toEqual([
      `refreshToken=${refreshToken}; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=2592000`,
    ]);
    expect(response.headers['cache-control']).toBe('no-store');
    const [row] =
      await sql`select id, email, role, password_hash from users where username = ${account.username}`;
    expect(row).toMatchObject({ email: account.email, role: 'viewer' });
    expect(bcrypt.getRounds(row?.passwordHash)).toBe(10);
    expect(await bcrypt.compare(account.password, row?.passwordHash)).toBe(true);
    const families = await sql`select family_id from refresh_tokens where user_id = ${row?.id}`;
    expect(families).toHaveLength(1);
  });

  it('lets a new user ask for the creator role and choose a display name', async () => {
    // Prepare
    const account = { ...newAccount(), role: 'creator', displayName: '  Ada Films ' };

    // Act
    const response = await registerWith(account);

    // Assess
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ role: 'creator', displayName: 'Ada Films' });
  });

  it('refuses the admin role with 400 and creates nothing', async () => {
    // Prepare
    const account = { ...newAccount(), role: 'admin' };

    // Act
    const response = await registerWith(account);

    // Assess
    expectProblem(response, 400, { slug: 'invalid-request', paths: ['body.role'] });
    const rows = await sql`select 1 from users where username = ${account.username}`;
    expect(rows).toHaveLength(0);
  });

  it.each([
    ['id', { id: '00000000-0000-4000-8000-000000000000' }],
    ['subscriberCount', { subscriberCount: 1000 }],
    ['videoCount', { videoCount: 5 }],
    ['passwordHash', { passwordHash: '$2b$04$abcdefghijklmnopqrstuv' }],
    ['createdAt', { createdAt: '2000-01-01T00:00:00Z' }],
    ['bio', { bio: 'sneaked in' }],
  ])('refuses the mass-assigned field %s with 400', async (field, extra) => {
    // Prepare
    const account = { ...newAccount(), ...extra };

    // Act
    const response = await registerWith(account);

    // Assess
    expectProblem(response, 400, { detail: 'The request is invalid' });
    expect(JSON.stringify(response.body)).toContain(field);
    expect(await sql`select 1 from users where username = ${account.username}`).toHaveLength(0);
  });

  it.each([
    ['a password shorter than 8 characters', { password: 'short' }, 'body.password'],
    ['a password longer than 128 characters', { password: 'a'.repeat(129) }, 'body.password'],
    ['a password over 72 UTF-8 bytes (25 × €)', { password: '€'.repeat(25) }, 'body.password'],
    ['a username with capitals', { username: 'Alice_1' }, 'body.username'],
    ['a username of 2 characters', { username: 'ab' }, 'body.username'],
    ['a username of 31 characters', { username: 'a'.repeat(31) }, 'body.username'],
    ['a malformed email', { email: 'not-an-email' }, 'body.email'],
  ])('refuses %s with 400', async (_case, override, path) => {
    // Act
    const response = await registerWith({ ...newAccount(), ...override });

    // Assess
    expectProblem(response, 400, { paths: [path] });
  });

  it('accepts a password of exactly 72 UTF-8 bytes (24 × €)', async () => {
    // Act
    const response = await registerWith({ ...newAccount(), password: '€'.repeat(24) });

    // Assess
    expect(response.status).toBe(201);
  });

  it.each([
    ['email', (taken: ReturnType<typeof newAccount>) => ({ email: taken.email.toUpperCase() })],
    ['username', (taken: ReturnType<typeof newAccount>) => ({ username: taken.username })],
  ])('answers 409 naming the field when the %s is taken', async (field, clash) => {
    // Prepare
    const taken = newAccount();
    expect((await registerWith(taken)).status).toBe(201);

    // Act
    const response = await registerWith({ ...newAccount(), ...clash(taken) });

    // Assess
    expectProblem(response, 409, { slug: 'conflict', detail: `This ${field} is already taken` });
    expect(response.body.errors).toEqual([{ path: `body.${field}`, message: 'already taken' }]);
  });

  it('lets exactly one of two simultaneous registrations of one email win', async () => {
    // Prepare
    const account = newAccount();

    // Act
    const responses = await Promise.all([
      registerWith(account),
      registerWith({ ...newAccount(), email: account.email }),
    ]);

    // Assess
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    const rows = await sql`select 1 from users where email = ${account.email}`;
    expect(rows).toHaveLength(1);
  });
});
