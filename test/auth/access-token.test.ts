import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { handler as me } from '#functions/auth/me.ts';
import { registerUser } from '../support/auth-factories.ts';
import { expectProblem } from '../support/expect-problem.ts';
import { createUser } from '../support/factories.ts';
import { callApi } from '../support/lambda.ts';

const secret = () => new Uint8Array(Buffer.from(process.env.JWT_SECRET as string, 'base64url'));
const callMe = (token?: string, headers?: Record<string, string>) =>
  callApi(me, { path: '/api/v1/auth/me', token, headers });

interface Forgery {
  alg?: string;
  typ?: string | null;
  key?: Parameters<SignJWT['sign']>[0];
  claims?: Record<string, unknown>;
  issuer?: string;
  audience?: string;
  expiresAt?: number | string | null;
}

/** Signs a token like ours, with one property changed. */
async function forge(sub: string, forgery: Forgery = {}) {
  const header: Record<string, string> = { alg: forgery.alg ?? 'HS256' };
  if (forgery.typ !== null) header.typ = forgery.typ ?? 'at+jwt';
  let jwt = new SignJWT({ role: 'viewer', ...forgery.claims })
    .setProtectedHeader(header as { alg: string })
    .setSubject(sub)
    .setIssuer(forgery.issuer ?? 'clipiq')
    .setAudience(forgery.audience ?? 'clipiq-api')
    .setIssuedAt();
  if (forgery.expiresAt !== null) jwt = jwt.setExpirationTime(forgery.expiresAt ?? '15m');
  return jwt.sign(forgery.key ?? secret());
}

describe('GET /auth/me and access-token verification', () => {
  it('returns the own view of the caller, without the password hash', async () => {
    // Prepare
    const user = await registerUser({ displayName: 'Ada' });

    // Act
    const response = await callMe(user.accessToken);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: user.id,
      email: user.email,
      username: user.username,
      displayName: 'Ada',
      bio: '',
      role: 'viewer',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('answers 401 with a Bearer challenge when no token is sent', async () => {
    // Act
    const response = await callMe();

    // Assess
    expectProblem(response, 401, { slug: 'unauthorized', detail: 'Sign in to do this' });
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('accepts a token signed the way the forgeries below start from (their control)', async () => {
    // Prepare
    const user = await createUser({ role: 'creator' });

    // Act
    const response = await callMe(await forge(user.id, { claims: { role: 'creator' } }));

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: user.id, role: 'creator' });
  });

  it.each<[string, (sub: string) => Promise<string>]>([
    ['alg "none"', async (sub) => new UnsecuredJWT({ role: 'admin' }).setSubject(sub).encode()],
    [
      'HS256 signed with the public key of an RSA pair (algorithm confusion)',
      async (sub) => {
        const { publicKey } = await generateKeyPair('RS256', { extractable: true });
        return forge(sub, { key: new TextEncoder().encode(await exportSPKI(publicKey)) });
      },
    ],
    [
      'RS256, an algorithm outside the allow-list',
      async (sub) => forge(sub, { alg: 'RS256', key: (await generateKeyPair('RS256')).privateKey }),
    ],
    ['missing exp', (sub) => forge(sub, { expiresAt: null })],
    ['a wrong issuer', (sub) => forge(sub, { issuer: 'someone-else' })],
    ['a wrong audience', (sub) => forge(sub, { audience: 'another-api' })],
    ['a wrong typ (a plain JWT, not at+jwt)', (sub) => forge(sub, { typ: 'JWT' })],
    ['no typ', (sub) => forge(sub, { typ: null })],
    ['a secret other than ours', (sub) => forge(sub, { key: new Uint8Array(32).fill(7) })],
    ['an unknown role', (sub) => forge(sub, { claims: { role: 'superuser' } })],
    [
      'an edited payload (role raised to admin, signature kept)',
      async (sub) => {
        const [header, payload, signature] = (await forge(sub)).split('.');
        const edited = {
          ...JSON.parse(Buffer.from(payload as string, 'base64url').toString()),
          role: 'admin',
        };
        return `${header}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${signature}`;
      },
    ],
    ['a refresh token presented as an access token', async () => (await registerUser()).refreshToken],
    ['garbage', async () => 'not.a.jwt'],
  ])('rejects %s with 401', async (_case, makeToken) => {
    // Prepare
    const user = await createUser();
    const token = await makeToken(user.id);

    // Act
    const response = await callMe(token);

    // Assess
    expectProblem(response, 401, { slug: 'unauthorized', detail: 'The access token is invalid' });
  });

  it('rejects an expired token with 401 saying so', async () => {
    // Prepare
    const user = await createUser();
    const token = await forge(user.id, { expiresAt: Math.floor(Date.now() / 1000) - 60 });

    // Act
    const response = await callMe(token);

    // Assess
    expectProblem(response, 401, { detail: 'The access token has expired' });
  });

  it('rejects a token that is not sent with the Bearer scheme', async () => {
    // Prepare
    const user = await createUser();

    // Act
    const response = await callMe(undefined, { authorization: `Basic ${user.accessToken}` });

    // Assess
    expectProblem(response, 401, { detail: 'Use an Authorization: Bearer token' });
  });
});
