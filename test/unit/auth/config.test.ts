import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BCRYPT_COST } from '#lib/auth/bcrypt-cost.ts';
import { parseConfig } from '#lib/config.ts';

const DATABASE_URL = 'postgres://localhost/clipiq';

describe('authentication settings', () => {
  it.each([
    ['a short secret (31 bytes)', randomBytes(31).toString('base64url')],
    ['a password-like secret', 'secret'],
  ])('refuses %s for JWT_SECRET at startup', (_case, secret) => {
    // Act & Assess
    expect(() => parseConfig({ DATABASE_URL, JWT_SECRET: secret })).toThrow(
      /JWT_SECRET: must decode \(base64url\) to at least 32 random bytes/,
    );
  });

  it('refuses a missing JWT_SECRET', () => {
    // Act & Assess
    expect(() => parseConfig({ DATABASE_URL })).toThrow(/JWT_SECRET/);
  });

  it('accepts 256 bits and defaults the bcrypt cost to the measured choice', () => {
    // Act
    const config = parseConfig({ DATABASE_URL, JWT_SECRET: randomBytes(32).toString('base64url') });

    // Assess
    expect(config.jwt.secret).toHaveLength(32);
    expect(config.bcryptCost).toBe(DEFAULT_BCRYPT_COST);
    expect(DEFAULT_BCRYPT_COST).toBeGreaterThanOrEqual(10);
  });

  it.each(['9', '16'])('refuses BCRYPT_COST=%s (below 10 or absurdly slow)', (cost) => {
    // Act & Assess
    expect(() =>
      parseConfig({ DATABASE_URL, JWT_SECRET: randomBytes(32).toString('base64url'), BCRYPT_COST: cost }),
    ).toThrow(/BCRYPT_COST/);
  });
});
