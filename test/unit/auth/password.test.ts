import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { fitsBcrypt, hashPassword, needsRehash, verifyPassword } from '#lib/auth/password.ts';
import { NewPassword } from '#lib/auth/schemas.ts';

describe('passwords', () => {
  it.each([
    ['72 ASCII bytes', 'a'.repeat(72), true],
    ['73 ASCII bytes', 'a'.repeat(73), false],
    ['24 × € (72 bytes)', '€'.repeat(24), true],
    ['25 × € (75 bytes, 25 characters)', '€'.repeat(25), false],
    ['18 × 🎬 (72 bytes)', '🎬'.repeat(18), true],
  ])('fitsBcrypt: %s → %s', (_case, password, expected) => {
    // Act & Assess
    expect(fitsBcrypt(password)).toBe(expected);
  });

  it('refuses to hash what bcrypt would truncate, so 72×a+X and 72×a+Y can never share a hash', async () => {
    // Act
    const hashing = hashPassword(`${'a'.repeat(72)}X`, 4);

    // Assess
    await expect(hashing).rejects.toThrow(RangeError);
    expect(NewPassword().safeParse(`${'a'.repeat(72)}X`).success).toBe(false);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    // Prepare
    const hash = await hashPassword('correct horse', 4);

    // Act & Assess
    expect(await verifyPassword('correct horse', hash, 4)).toBe(true);
    expect(await verifyPassword('wrong horse', hash, 4)).toBe(false);
  });

  it('compares against a dummy hash at the configured cost when there is no account', async () => {
    // Prepare
    await verifyPassword('warm-up', undefined, 10);

    // Act
    const started = performance.now();
    const result = await verifyPassword('anything', undefined, 10);
    const elapsed = performance.now() - started;

    // Assess
    expect(result).toBe(false);
    expect(elapsed).toBeGreaterThan(20);
  });

  it('asks for a rehash only when the stored cost is below the configured one', () => {
    // Prepare
    const cost4 = bcrypt.hashSync('x', 4);

    // Act & Assess
    expect(needsRehash(cost4, 10)).toBe(true);
    expect(needsRehash(cost4, 4)).toBe(false);
  });
});
