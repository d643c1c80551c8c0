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
    ['no counters at all', { knownAddress: false }, 0],
    [
      'an account at the cap, from an address it never signed in from',
      { account: blockedAccount, knownAddress: false },
      840,
    ],
    [
      'an account at the cap, from an unknown address that never failed, as one of many an attacker uses',
      { account: blockedAccount, address: { failures: 0, lastFailedAt: now }, knownAddress: false },
      840,
    ],
    [
      'an account at the cap, from an address it signed in from',
      { account: blockedAccount, knownAddress: true },
      0,
    ],
    [
      'an account at the cap, from a known address within its free failures',
      { account: blockedAccount, address: { failures: 20, lastFailedAt: now }, knownAddress: true },
      0,
    ],
    [
      'a known address backing off itself',
      { account: blockedAccount, address: { failures: 22, lastFailedAt: now }, knownAddress: true },
      2,
    ],
    [
      'an address backing off, whatever the account',
      { address: { failures: 22, lastFailedAt: now }, knownAddress: false },
      2,
    ],
  ])('%s: waits %i s', (_case, counters, expected) => {
    // Act
    const wait = attemptWaitSeconds(counters, now);

    // Assess
    expect(wait).toBe(expected);
  });
});
