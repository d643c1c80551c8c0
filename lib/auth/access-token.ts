import { errors, jwtVerify, SignJWT } from 'jose';
import { config } from '../environment.ts';
import { Unauthorized } from '../errors.ts';
import { isRole, type Principal } from './principal.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** RFC 9068 media type; checking `typ` stops any other JWT we might sign from passing as an access token. */
const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALGORITHMS = ['HS256'];

/**
 * Signs a 15-minute access token for a user.
 *
 * @example
 * const { accessToken, expiresIn } = await issueAccessToken({ userId, role: 'viewer' });
 */
export async function issueAccessToken(principal: Principal) {
  const accessToken = await new SignJWT({ role: principal.role })
    .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE })
    .setSubject(principal.userId)
    .setIssuer(config.jwt.issuer)
    .setAudience(config.jwt.audience)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(config.jwt.secret);
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/**
 * Verifies an access token (RFC 8725): fixed algorithm list, issuer, audience, type, and required `exp`/`sub`
 * (jose does not require `exp` unless asked). Any failure is a 401 with a generic detail.
 */
export async function verifyAccessToken(token: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, config.jwt.secret, {
      algorithms: ALGORITHMS,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ['exp', 'sub', 'iat'],
    });
    if (!isRole(payload.role) || !payload.sub) throw new Unauthorized('The access token is invalid');
    return { userId: payload.sub, role: payload.role };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new Unauthorized('The access token has expired');
    if (error instanceof errors.JOSEError || error instanceof Unauthorized) {
      throw new Unauthorized('The access token is invalid');
    }
    throw error;
  }
}
