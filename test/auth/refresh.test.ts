import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { handler as logout } from '#functions/auth/logout.ts';
import { handler as refresh } from '#functions/auth/refresh.ts';
import { verifyAccessToken } from '#lib/auth/access-token.ts';
import { sql } from '#lib/db.ts';
import { loginAs, registerUser } from '../support/auth-factories.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { callApi } from '../support/lambda.ts';

type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };

const refreshWith = (call: { body?: unknown; cookies?: string[] }) =>
  callApi<Tokens>(refresh, { method: 'POST', path: '/api/v1/auth/refresh', ...call });
const logoutWith = (call: { body?: unknown; cookies?: string[] }) =>
  callApi(logout, { method: 'POST', path: '/api/v1/auth/logout', ...call });
const digest = (token: string) => createHash('sha256').update(token).digest();
const INVALID = 'The refresh token is invalid, expired or revoked';

async function tokenRow(token: string) {
  const [row] = await sql`
    select family_id, used_at, revoked_at, expires_at - created_at as lifetime, expires_at - signed_in_at as age_limit
    from refresh_tokens where token_hash = ${digest(token)}
  `;
  return row;
}

describe('POST /auth/refresh', () => {
  it('rotates: returns a new pair with a token in the same family, ending 30 days after the sign-in, and spends the old one', async () => {
    // Prepare
    const user = await registerUser();

    // Act
    const response = await refreshWith({ body: { refreshToken: user.refreshToken } });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
    });
    expect(response.body.refreshToken).not.toBe(user.refreshToken);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.cookies).toEqual([
      `refreshToken=${response.body.refreshToken}; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=2592000`,
    ]);
    expect(await verifyAccessToken(response.body.accessToken)).toEqual({ userId: user.id, role: 'viewer' });
    const [spent, successor] = [
      await tokenRow(user.refreshToken),
      await tokenRow(response.body.refreshToken),
    ];
    expect(spent?.usedAt).toBeInstanceOf(Date);
    expect(successor).toMatchObject({ familyId: spent?.familyId, usedAt: null, revokedAt: null });
    expect(spent?.lifetime).toBe('30 days');
    expect(successor?.ageLimit).toBe('30 days');
  });

  it('takes the token from the cookie when the body has none', async () => {
    // Prepare
    const user = await registerUser();

    // Act
    const response = await refreshWith({ cookies: [`theme=dark; refreshToken=${user.refreshToken}`] });

    // Assess
    expect(response.status).toBe(200);
    expect((await tokenRow(user.refreshToken))?.usedAt).toBeInstanceOf(Date);
  });

  it('answers 401 when neither the body nor the cookie carries a token', async () => {
    // Act
    const response = await refreshWith({ body: {} });

    // Assess
    expectProblem(response, 401, { detail: 'Send the refresh token in the body or the refreshToken cookie' });
  });

  it('rejects a refresh token that was already used, and revokes its family', async () => {
    // Prepare
    const user = await registerUser();
    const rotated = await refreshWith({ body: { refreshToken: user.refreshToken } });

    // Act
    const replay = await refreshWith({ body: { refreshToken: user.refreshToken } });
    const successor = await refreshWith({ body: { refreshToken: rotated.body.refreshToken } });

    // Assess
    expectProblem(replay, 401, { slug: 'unauthorized', detail: INVALID });
    expectProblem(successor, 401, { detail: INVALID });
    const family = await sql`
      select revoked_at from refresh_tokens where family_id = ${(await tokenRow(user.refreshToken))?.familyId}
    `;
    expect(family).toHaveLength(2);
    expect(family.every((row) => row.revokedAt instanceof Date)).toBe(true);
  });

  it('lets exactly one of two parallel refreshes with one token succeed', async () => {
    // Prepare
    const user = await registerUser();

    // Act
    const responses = await Promise.all([
      refreshWith({ body: { refreshToken: user.refreshToken } }),
      refreshWith({ body: { refreshToken: user.refreshToken } }),
    ]);

    // Assess: the loser is indistinguishable from a replay, so the family ends too (RFC 9700 §4.14.2)
    expect(responses.map((response) => response.status).sort()).toEqual([200, 401]);
    const loser = responses.find((response) => response.status === 401);
    expectProblem(loser as (typeof responses)[number], 401, { detail: INVALID });
    const issued = await sql`
      select 1 from refresh_tokens where family_id = ${(await tokenRow(user.refreshToken))?.familyId}
    `;
    expect(issued).toHaveLength(2);
  });

  it('lets exactly one succeed when two Lambda instances (two connections) refresh one token at once', async () => {
    // Prepare: a fresh module graph is a second instance with its own database connection
    const user = await registerUser();
    vi.resetModules();
    const other = await import('#functions/auth/refresh.ts');
    const otherDb = await import('#lib/db.ts');
    const call = { method: 'POST', path: '/api/v1/auth/refresh', body: { refreshToken: user.refreshToken } };

    // Act
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, index) => callApi(index % 2 ? refresh : other.handler, call)),
    ).finally(() => otherDb.sql.end());

    // Assess
    expect(responses.map((response) => response.status).sort()).toEqual([200, 401, 401, 401]);
    const spent = await sql`select 1 from refresh_tokens where user_id = ${user.id} and used_at is not null`;
    expect(spent).toHaveLength(1);
  });

  it('rejects an expired refresh token without touching its family', async () => {
    // Prepare
    const user = await registerUser();
    await sql`update refresh_tokens set expires_at = now() - interval '1 second' where token_hash = ${digest(user.refreshToken)}`;

    // Act
    const response = await refreshWith({ body: { refreshToken: user.refreshToken } });

    // Assess
    expectProblem(response, 401, { detail: INVALID });
    expect(await tokenRow(user.refreshToken)).toMatchObject({ usedAt: null, revokedAt: null });
  });

  it('ends a family 30 days after its sign-in, however recently it rotated, without revoking it', async () => {
    // Prepare: signed in 30 days and a second ago; the current token was issued a minute ago
    const user = await registerUser();
    await sql`
      update refresh_tokens
      set signed_in_at = now() - interval '30 days 1 second', created_at = now() - interval '1 minute'
      where token_hash = ${digest(user.refreshToken)}
    `;

    // Act
    const response = await refreshWith({ body: { refreshToken: user.refreshToken } });

    // Assess
    expectProblem(response, 401, { detail: INVALID });
    expect(await tokenRow(user.refreshToken)).toMatchObject({ usedAt: null, revokedAt: null });
  });

  it('never lets rotation carry a family past its absolute lifetime', async () => {
    // Prepare: signed in 29 days ago
    const user = await registerUser();
    await sql`
      update refresh_tokens set signed_in_at = now() - interval '29 days'
      where token_hash = ${digest(user.refreshToken)}
    `;

    // Act
    const response = await refreshWith({ body: { refreshToken: user.refreshToken } });

    // Assess: the successor lives one more day, not 30
    expect(response.status).toBe(200);
    const [successor] = await sql<{ daysLeft: number }[]>`
      select extract(epoch from expires_at - now()) / 86400 as days_left
      from refresh_tokens where token_hash = ${digest(response.body.refreshToken)}
    `;
    expect(Number(successor?.daysLeft)).toBeGreaterThan(0.99);
    expect(Number(successor?.daysLeft)).toBeLessThanOrEqual(1);
  });

  it('rejects a made-up token and unknown body fields', async () => {
    // Act
    const madeUp = await refreshWith({ body: { refreshToken: 'x'.repeat(43) } });
    const extra = await refreshWith({ body: { refreshToken: 'x'.repeat(43), userId: 'someone' } });

    // Assess
    expectProblem(madeUp, 401, { detail: INVALID });
    expectProblem(extra, 400, { paths: ['body'] });
  });

  it('issues access tokens with the role the user has now', async () => {
    // Prepare
    const user = await registerUser();
    await sql`update users set role = 'creator' where id = ${user.id}`;

    // Act
    const response = await refreshWith({ body: { refreshToken: user.refreshToken } });

    // Assess
    expect(response.status).toBe(200);
    expect(await verifyAccessToken(response.body.accessToken)).toEqual({ userId: user.id, role: 'creator' });
  });
});

describe('POST /auth/logout', () => {
  it('revokes the whole family of the token, clears the cookie, and the session can no longer refresh', async () => {
    // Prepare
    const user = await registerUser();
    const rotated = await refreshWith({ body: { refreshToken: user.refreshToken } });

    // Act
    const response = await logoutWith({ body: { refreshToken: rotated.body.refreshToken } });
    const afterwards = await refreshWith({ body: { refreshToken: rotated.body.refreshToken } });

    // Assess
    expect(response.status).toBe(204);
    expect(response.cookies).toEqual([
      'refreshToken=; HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth; Max-Age=0',
    ]);
    expectProblem(afterwards, 401, { detail: INVALID });
    const live = await sql`select 1 from refresh_tokens where user_id = ${user.id} and revoked_at is null`;
    expect(live).toHaveLength(0);
  });

  it('takes the token from the cookie and leaves the user’s other sessions alone', async () => {
    // Prepare
    const user = await registerUser();
    const otherSession = (await loginAs(user)).body as Tokens;

    // Act
    const response = await logoutWith({ cookies: [`refreshToken=${user.refreshToken}`] });

    // Assess
    expect(response.status).toBe(204);
    expect(await tokenRow(user.refreshToken)).toMatchObject({ revokedAt: expect.any(Date) });
    expect(await tokenRow(otherSession.refreshToken)).toMatchObject({ revokedAt: null });
  });

  it('answers 204 for an unknown token and 401 for no token at all', async () => {
    // Act
    const unknown = await logoutWith({ body: { refreshToken: 'y'.repeat(43) } });
    const none = await logoutWith({});

    // Assess
    expect(unknown.status).toBe(204);
    expectProblem(none, 401);
  });
});
