import { describe, expect, it } from 'vitest';
import { attemptWaitSeconds, retryAfterSeconds, THROTTLE_POLICIES } from '#lib/auth/login-throttle.ts';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const account = THROTTLE_POLICIES.account;

describe('retryAfterSeconds', () => {
  it.each([
    [1, 0],
    [5, 0],
    [6, 1],
    [7, 2],
    [8, 4],
    [14, 256],
    [15, 512],
    [16, 900],
    [10_000, 900],
  ])('after %i account failures just now, waits %i s', (failures, expected) => {
    // Act
    const wait = retryAfterSeconds({ failures, lastFailedAt: now }, account, now);

    // Assess
    expect(wait).toBe(expected);
  });

  it('counts down from the last failure', () => {
    // Act
    const wait = retryAfterSeconds({ failures: 8, lastFailedAt: ago(1.5) }, account, now);

    // Assess
    expect(wait).toBe(2.5);
  });

  it('never blocks past the cap, however many failures a flood piled up', () => {
    // Act
    const wait = retryAfterSeconds({ failures: 1_000_000, lastFailedAt: ago(900) }, account, now);

    // Assess
    expect(wait).toBe(0);
  });

  it('forgets failures after an hour without one', () => {
    // Act
    const wait = retryAfterSeconds({ failures: 1_000_000, lastFailedAt: ago(3600) }, account, now);

    // Assess
    expect(wait).toBe(0);
  });

  it('gives an address 20 free failures before any delay', () => {
    // Act
    const waits = [20, 21].map((failures) =>
      retryAfterSeconds({ failures, lastFailedAt: now }, THROTTLE_POLICIES.address, now),
    );

    // Assess
    expect(waits).toEqual([0, 1]);
  });
});

describe('attemptWaitSeconds', () => {
  const blockedAccount = { failures: 500, lastFailedAt: ago(60) };

  it.each([
    ['no counters at all', {}, 0],
    [
      'an account at the cap, from an address that failed a minute ago',
      { account: blockedAccount, address: { failures: 1, lastFailedAt: ago(60) } },
      840,
    ],
    ['an account at the cap, from an address that never failed', { account: blockedAccount }, 0],
    [
      'an account at the cap, from an address whose failures are an hour old',
      { account: blockedAccount, address: { failures: 3, lastFailedAt: ago(3600) } },
      0,
    ],
    [
      'an account at the cap, from an address whose failures were all given back',
      { account: blockedAccount, address: { failures: 0, lastFailedAt: now } },
      0,
    ],
    ['an address backing off, whatever the account', { address: { failures: 22, lastFailedAt: now } }, 2],
  ])('%s: waits %i s', (_case, counters, expected) => {
    // Act
    const wait = attemptWaitSeconds(counters, now);

    // Assess
    expect(wait).toBe(expected);
  });
});
