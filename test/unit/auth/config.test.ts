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

  it.each([
    ['43 zeros', '0'.repeat(43)],
    ['43 × "a"', 'a'.repeat(43)],
    ['a repeated pattern', 'abcd'.repeat(11)],
    ['32 zero bytes', Buffer.alloc(32).toString('base64')],
    ['a 12-byte random block repeated', randomBytes(12).toString('base64').repeat(4)],
  ])('refuses a long but low-entropy JWT_SECRET: %s', (_case, secret) => {
    // Act & Assess
    expect(() => parseConfig({ DATABASE_URL, JWT_SECRET: secret })).toThrow(
      /JWT_SECRET: is not random \(its bytes take only \d+ distinct values\)/,
    );
  });

  it('accepts every one of 20,000 secrets made like `openssl rand -base64 32` and the local stack’s', () => {
    // Prepare: openssl prints standard base64 with padding; npm start and the tests use base64url
    const secrets = Array.from({ length: 10_000 }, () => [
      randomBytes(32).toString('base64'),
      randomBytes(32).toString('base64url'),
    ]).flat();

    // Act
    const refused = secrets.filter((secret) => {
      try {
        parseConfig({ DATABASE_URL, JWT_SECRET: secret });
        return false;
      } catch {
        return true;
      }
    });

    // Assess
    expect(refused).toEqual([]);
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

  it('ends refresh-token families 30 days after their sign-in unless REFRESH_ABSOLUTE_LIFETIME_DAYS says otherwise', () => {
    // Prepare
    const JWT_SECRET = randomBytes(32).toString('base64url');

    // Act
    const byDefault = parseConfig({ DATABASE_URL, JWT_SECRET });
    const configured = parseConfig({ DATABASE_URL, JWT_SECRET, REFRESH_ABSOLUTE_LIFETIME_DAYS: '7' });

    // Assess
    expect(byDefault.refreshAbsoluteLifetimeDays).toBe(30);
    expect(configured.refreshAbsoluteLifetimeDays).toBe(7);
    expect(() => parseConfig({ DATABASE_URL, JWT_SECRET, REFRESH_ABSOLUTE_LIFETIME_DAYS: '0' })).toThrow(
      /REFRESH_ABSOLUTE_LIFETIME_DAYS: must be a whole number from 1 to 3650/,
    );
  });

  it.each(['9', '16'])('refuses BCRYPT_COST=%s (below 10 or absurdly slow)', (cost) => {
    // Act & Assess
    expect(() =>
      parseConfig({ DATABASE_URL, JWT_SECRET: randomBytes(32).toString('base64url'), BCRYPT_COST: cost }),
    ).toThrow(/BCRYPT_COST/);
  });
});
