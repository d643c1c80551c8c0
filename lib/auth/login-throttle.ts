import { sql } from '../db.ts';
import { tooManyRequests } from '../errors.ts';

export type ThrottleScope = 'account' | 'address';

export interface ThrottlePolicy {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** The first delay; each further failure doubles it. */
  baseDelaySeconds: number;
  /** No delay is longer: a flood of wrong passwords slows a user down but never locks them out for good. */
  maxDelaySeconds: number;
  /** A subject with no failure for this long starts from zero again. */
  resetAfterSeconds: number;
}

const shared = { baseDelaySeconds: 1, maxDelaySeconds: 15 * 60, resetAfterSeconds: 60 * 60 };
/** An address may front many people (NAT, offices), so it gets more slack than one account. */
export const THROTTLE_POLICIES: Record<ThrottleScope, ThrottlePolicy> = {
  account: { freeFailures: 5, ...shared },
  address: { freeFailures: 20, ...shared },
};

export interface ThrottleState {
  failures: number;
  lastFailedAt: Date;
}

/**
 * How many seconds a subject must still wait, given its recorded failures and the database's clock:
 * 0 while within the free failures, then base × 2^(n−1) after the n-th failure beyond them, capped.
 *
 * @example
 * retryAfterSeconds({ failures: 7, lastFailedAt }, THROTTLE_POLICIES.account, now); // up to 2
 */
export function retryAfterSeconds(state: ThrottleState, policy: ThrottlePolicy, now: Date) {
  const idleSeconds = (now.getTime() - state.lastFailedAt.getTime()) / 1000;
  const beyond = state.failures - policy.freeFailures;
  if (beyond <= 0 || idleSeconds >= policy.resetAfterSeconds) return 0;
  const delay = Math.min(policy.baseDelaySeconds * 2 ** (beyond - 1), policy.maxDelaySeconds);
  return Math.max(0, delay - idleSeconds);
}

export interface LoginAttempt {
  /** The normalised email the attempt names (whether or not such an account exists). */
  email: string;
  sourceIp: string;
}

/**
 * Refuses an attempt (429 with Retry-After) while its account or its address is backing off. It runs before the
 * password is checked, so a blocked attempt neither costs a bcrypt hash nor extends the block.
 *
 * @example
 * await assertNotThrottled({ email, sourceIp });
 */
export async function assertNotThrottled(attempt: LoginAttempt) {
  const rows = await sql<(ThrottleState & { scope: ThrottleScope; now: Date })[]>`
    select scope, failures, last_failed_at, now() as now from login_throttles
    where (scope = 'account' and subject = ${attempt.email})
       or (scope = 'address' and subject = ${attempt.sourceIp})
  `;
  const wait = Math.max(
    0,
    ...rows.map((row) => retryAfterSeconds(row, THROTTLE_POLICIES[row.scope], row.now)),
  );
  if (wait > 0) throw tooManyRequests(wait, 'Too many failed sign-in attempts; try again later');
}

/**
 * Counts one failed attempt against its account and its address, atomically (concurrent failures all count).
 * A counter idle for longer than the reset period starts again at 1.
 *
 * @example
 * await recordLoginFailure({ email, sourceIp });
 */
export async function recordLoginFailure(attempt: LoginAttempt) {
  await sql`
    insert into login_throttles as t (scope, subject, failures, last_failed_at)
    values ('account', ${attempt.email}, 1, now()), ('address', ${attempt.sourceIp}, 1, now())
    on conflict (scope, subject) do update set
      failures = case when t.last_failed_at < now() - make_interval(secs => ${shared.resetAfterSeconds})
                      then 1 else t.failures + 1 end,
      last_failed_at = now()
  `;
  // Stale counters cost nothing to keep but would pile up under a flood of made-up emails; trim a few each time.
  await sql`
    delete from login_throttles where ctid = any(array(
      select ctid from login_throttles
      where last_failed_at < now() - make_interval(secs => ${shared.resetAfterSeconds})
      limit 100
    ))
  `;
}

/**
 * Forgets the failures of an account after a successful sign-in. The address counter stays: otherwise a guesser
 * could reset it by signing in to an account of their own between guesses.
 *
 * @example
 * await clearAccountFailures(email);
 */
export async function clearAccountFailures(email: string) {
  await sql`delete from login_throttles where scope = 'account' and subject = ${email}`;
}
