import bcrypt from 'bcryptjs';

/** bcrypt reads only the first 72 bytes of its input; anything longer would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

/** Whether bcrypt would see the whole password (UTF-8 bytes, not characters: 25 × "€" is 75 bytes). */
export function fitsBcrypt(password: string) {
  return Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES;
}

/**
 * Hashes a password with bcrypt at the given cost (callers pass `config.bcryptCost`).
 *
 * @example
 * const passwordHash = await hashPassword('correct horse battery staple', config.bcryptCost);
 */
export async function hashPassword(password: string, cost: number) {
  if (!fitsBcrypt(password)) throw new RangeError(`A password may be at most ${PASSWORD_MAX_BYTES} bytes`);
  return bcrypt.hash(password, cost);
}

/** Salt and digest of no one's password (a valid bcrypt encoding); prefixed with the cost it stands in for. */
const DUMMY_SALT_AND_DIGEST = 'N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

/**
 * Checks a password against a stored hash. Without a hash (unknown account) it still runs one bcrypt comparison
 * at the same cost against a dummy, so "no such user" takes as long as "wrong password".
 *
 * @example
 * const ok = await verifyPassword(body.password, user?.passwordHash, config.bcryptCost);
 */
export async function verifyPassword(password: string, passwordHash: string | undefined, cost: number) {
  if (passwordHash === undefined) {
    await bcrypt.compare(password, `$2b$${String(cost).padStart(2, '0')}$${DUMMY_SALT_AND_DIGEST}`);
    return false;
  }
  return bcrypt.compare(password, passwordHash);
}

/**
 * Whether a stored hash was made with a lower cost than the configured one (rehash it at the next login).
 *
 * @example
 * if (needsRehash(user.passwordHash, config.bcryptCost)) await rehash(user, password);
 */
export function needsRehash(passwordHash: string, cost: number) {
  return bcrypt.getRounds(passwordHash) < cost;
}
