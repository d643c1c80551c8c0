import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type SqlOrTransaction, sql } from '../db.ts';
import { config } from '../environment.ts';
import { Unauthorized } from '../errors.ts';
import { logger } from '../log.ts';
import type { Role } from './principal.ts';

/**
 * Idle lifetime: each rotation issues a token valid for another 30 days, but never past its family's absolute
 * lifetime (`REFRESH_ABSOLUTE_LIFETIME_DAYS` from the sign-in), so a session ends unused or old, whichever comes first.
 */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/**
 * Stores a new refresh token and returns its only plain copy. Without `familyId` it starts a new family (a login,
 * signed in now); a successor carries its family's `signedInAt`, which caps its expiry.
 *
 * @example
 * const refreshToken = await issueRefreshToken(tx, { userId });
 */
export async function issueRefreshToken(
  db: SqlOrTransaction,
  owner: { userId: string; familyId?: string; signedInAt?: Date },
) {
  const token = randomBytes(32).toString('base64url');
  await db`
    insert into refresh_tokens (token_hash, family_id, user_id, signed_in_at, expires_at)
    select ${digest(token)}, ${owner.familyId ?? randomUUID()}, ${owner.userId}, family.signed_in_at,
           least(now() + make_interval(secs => ${REFRESH_TOKEN_TTL_SECONDS}),
                 family.signed_in_at + make_interval(days => ${config.refreshAbsoluteLifetimeDays}))
    from (select coalesce(${owner.signedInAt ?? null}::timestamptz, now()) as signed_in_at) family
  `;
  return token;
}

/**
 * Spends a refresh token and issues its successor in the same family, in one transaction. The conditional
 * UPDATE is the single-use guarantee: of two parallel calls with one token, PostgreSQL lets exactly one match.
 * Presenting a token that was already spent revokes its whole family (RFC 9700 §4.14.2): that includes the loser
 * of such a race, which cannot be told apart from a replay.
 *
 * @example
 * const { userId, role, refreshToken } = await rotateRefreshToken(presented);
 */
export async function rotateRefreshToken(
  token: string,
): Promise<{ userId: string; role: Role; refreshToken: string }> {
  const tokenHash = digest(token);
  const rotated = await sql.begin(async (tx) => {
    // The sign-in check, not only expires_at, so a shortened lifetime also ends families signed in before it.
    const [spent] = await tx<{ userId: string; familyId: string; signedInAt: Date; role: Role }[]>`
      update refresh_tokens t set used_at = now()
      from users u
      where t.token_hash = ${tokenHash} and u.id = t.user_id and u.suspended_at is null
        and t.used_at is null and t.revoked_at is null and t.expires_at > now()
        and t.signed_in_at > now() - make_interval(days => ${config.refreshAbsoluteLifetimeDays})
      returning t.user_id, t.family_id, t.signed_in_at, u.role
    `;
    if (!spent) return undefined;
    const refreshToken = await issueRefreshToken(tx, spent);
    return { userId: spent.userId, role: spent.role, refreshToken };
  });
  if (rotated) return rotated;

  const [reused] = await sql<{ familyId: string; userId: string }[]>`
    select family_id, user_id from refresh_tokens where token_hash = ${tokenHash} and used_at is not null
  `;
  if (reused) {
    await revokeFamily(reused.familyId);
    logger.warn('A spent refresh token was presented again; its family is revoked', { ...reused });
  }
  throw new Unauthorized('The refresh token is invalid, expired or revoked');
}

async function revokeFamily(familyId: string) {
  await sql`update refresh_tokens set revoked_at = now() where family_id = ${familyId} and revoked_at is null`;
}

/**
 * Ends the session a refresh token belongs to (logout). An unknown token changes nothing.
 *
 * @example
 * await revokeRefreshTokenFamily(presented);
 */
export async function revokeRefreshTokenFamily(token: string) {
  await sql`
    update refresh_tokens set revoked_at = now()
    where family_id = (select family_id from refresh_tokens where token_hash = ${digest(token)})
      and revoked_at is null
  `;
}

/**
 * Deletes a user's families that can no longer be used (every token expired, or revoked). Spent tokens of live
 * families stay: they are what detects a replay.
 *
 * @example
 * await forgetDeadSessions(tx, userId);
 */
export async function forgetDeadSessions(db: SqlOrTransaction, userId: string) {
  await db`
    delete from refresh_tokens
    where user_id = ${userId} and family_id in (
      select family_id from refresh_tokens where user_id = ${userId}
      group by family_id
      having max(expires_at) < now() or bool_and(revoked_at is not null)
    )
  `;
}
