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

/** How many failures a subject has now: none once it went a reset period without one. */
function currentFailures(state: ThrottleState, policy: ThrottlePolicy, now: Date) {
  const idleSeconds = (now.getTime() - state.lastFailedAt.getTime()) / 1000;
  return idleSeconds >= policy.resetAfterSeconds ? 0 : state.failures;
}

/**
 * How many seconds an attempt must still wait, given the counters of its account and its address. The address's
 * back-off always applies. The account's applies only to addresses that failed within the reset period: a trickle
 * of wrong guesses timed to each end of the account's back-off could otherwise keep its owner out for good. So the
 * right password gets in at once from any address without a recent failure, and from an address that failed at
 * most a reset period (an hour) after its last failure; an attacker spends an address's clean hour on each guess
 * beyond the account's back-off.
 *
 * @example
 * attemptWaitSeconds({ account, address: undefined }, now); // 0: a clean address is not held by the account
 */
export function attemptWaitSeconds(
  counters: Partial<Record<ThrottleScope, ThrottleState>>,
  now: Date,
): number {
  const { account, address } = counters;
  const addressWait = address ? retryAfterSeconds(address, THROTTLE_POLICIES.address, now) : 0;
  const addressFailures = address ? currentFailures(address, THROTTLE_POLICIES.address, now) : 0;
  const accountWait =
    account && addressFailures > 0 ? retryAfterSeconds(account, THROTTLE_POLICIES.account, now) : 0;
  return Math.max(addressWait, accountWait);
}

export interface LoginAttempt {
  /** The normalised email the attempt names (whether or not such an account exists). */
  email: string;
  /** The client address as `clientAddress` keys it (an IPv6 address by its /64). */
  sourceIp: string;
}

const THROTTLED = 'Too many failed sign-in attempts; try again later';

/**
 * Counts a sign-in attempt as a failure of its account and its address before the password is checked, or refuses
 * it (429 with Retry-After) while they back off. Both counters are locked for the decision, so parallel attempts
 * queue and each sees those before it: no more reach bcrypt than the free failures allow. A refused attempt counts
 * nothing, so a flood cannot extend the block; a right password gives its attempt back with
 * {@link recordLoginSuccess}.
 *
 * @example
 * await countLoginAttempt({ email, sourceIp });
 */
export async function countLoginAttempt(attempt: LoginAttempt) {
  await sql.begin(async (tx) => {
    // A counter that does not exist yet cannot be locked: create missing ones at zero first.
    await tx`
      insert into login_throttles (scope, subject, failures, last_failed_at)
      values ('account', ${attempt.email}, 0, now()), ('address', ${attempt.sourceIp}, 0, now())
      on conflict do nothing
    `;
    const rows = await tx<(ThrottleState & { scope: ThrottleScope; now: Date })[]>`
      select scope, failures, last_failed_at, now() as now from login_throttles
      where (scope = 'account' and subject = ${attempt.email})
         or (scope = 'address' and subject = ${attempt.sourceIp})
      order by scope
      for update
    `;
    const now = rows[0]?.now ?? new Date();
    const wait = attemptWaitSeconds(Object.fromEntries(rows.map((row) => [row.scope, row])), now);
    if (wait > 0) throw tooManyRequests(wait, THROTTLED);
    await tx`
      insert into login_throttles as t (scope, subject, failures, last_failed_at)
      values ('account', ${attempt.email}, 1, now()), ('address', ${attempt.sourceIp}, 1, now())
      on conflict (scope, subject) do update set
        failures = case when t.last_failed_at < now() - make_interval(secs => ${shared.resetAfterSeconds})
                        then 1 else t.failures + 1 end,
        last_failed_at = now()
    `;
  });
  // Stale counters cost nothing to keep but would pile up under a flood of made-up emails; trim a few each time.
  await sql`
    delete from login_throttles where ctid = any(array(
      select ctid from login_throttles
      where last_failed_at < now() - make_interval(secs => ${shared.resetAfterSeconds})
      limit 100
      for update skip locked
    ))
  `;
}

/**
 * Settles an attempt whose password was right: the account's failures are forgotten and the address gets back the
 * attempt counted for it. The address keeps its other failures: otherwise a guesser could wipe them by signing in
 * to an account of their own between guesses.
 *
 * @example
 * await recordLoginSuccess({ email, sourceIp });
 */
export async function recordLoginSuccess(attempt: LoginAttempt) {
  await sql`
    with forgotten as (delete from login_throttles where scope = 'account' and subject = ${attempt.email})
    update login_throttles set failures = greatest(failures - 1, 0)
    where scope = 'address' and subject = ${attempt.sourceIp}
  `;
}
